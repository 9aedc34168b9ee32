// Tabbed consoles, one xterm per session. Inactive terminals stay mounted (hidden) to keep output.
import { memo, Suspense } from 'react';
import type { LabApi } from '../../shared/api/contract';
import { Icon } from '../app/Icon';
import type { ConsoleRouter } from './console-router';
import { ConsoleTerminal } from '../app/lazy-parts';
import { LoadBoundary } from '../app/LoadBoundary';
import { tabTestId, tabTitle } from './tabs';
import type { Consoles } from './use-consoles';

export const ConsolePanel = memo(function ConsolePanel(props: { consoles: Consoles; api: LabApi; router: ConsoleRouter }) {
  const { consoles, api, router } = props;
  const { tabs, active } = consoles;
  return (
    <section className="console-panel" aria-label="Consoles">
      <div className="console-tabs" role="tablist" data-testid="console-tabs" aria-label="Console sessions">
        {tabs.length === 0 && <span className="pane-title-text">Consoles</span>}
        {tabs.map((t) => {
          const id = tabTestId(t);
          const isActive = t.key === active;
          return (
            <div key={t.key} className={isActive ? 'console-tab active' : 'console-tab'}>
              <button
                type="button"
                role="tab"
                aria-selected={isActive}
                data-testid={`console-tab-${id}`}
                title={`${tabTitle(t)} — session ${t.consoleId}`}
                onClick={() => consoles.setActive(t.key)}
                onAuxClick={(e) => e.button === 1 && consoles.close(t.key)}
              >
                <Icon name="terminal" />
                {tabTitle(t)}
              </button>
              <button type="button" className="console-tab-close" aria-label={`Close console ${tabTitle(t)}`} data-testid={`console-close-${id}`} onClick={() => consoles.close(t.key)}>
                <Icon name="close" />
              </button>
            </div>
          );
        })}
      </div>
      <div className="console-body">
        {tabs.length === 0 && (
          <div className="console-empty">Double-click a host, server or router, or use its console button in the Machines list, to open a terminal.</div>
        )}
        <LoadBoundary what="terminal">
        <Suspense fallback={null}>
          {tabs.map((t) => (
            <ConsoleTerminal key={t.key} tab={t} active={t.key === active} api={api} router={router} />
          ))}
        </Suspense>
        </LoadBoundary>
      </div>
    </section>
  );
});
