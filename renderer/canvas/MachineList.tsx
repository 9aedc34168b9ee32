// The machines sidebar: every machine with its kind and first address, and a console button for
// the ones that run a shell (also the stable way for e2e tests to open a console).
import { memo } from 'react';
import type { LabDoc } from '../../shared/lab/types';
import { Icon } from '../app/Icon';
import { firstIp, hasConsole } from './elements';
import { iconFor } from './icons';

export const MachineList = memo(function MachineList(props: {
  doc: LabDoc | null;
  selected: string | null;
  onSelect(machine: string | null): void;
  onOpenConsole(machine: string, newSession: boolean): void;
}) {
  const { doc, selected, onSelect, onOpenConsole } = props;
  const machines = doc?.machines ?? [];
  return (
    <nav className="machine-list" aria-label="Machines" data-testid="machine-list">
      <div className="pane-title">Machines</div>
      {machines.length === 0 && <div className="muted pad">No machines</div>}
      <ul>
        {machines.map((m) => (
          <li
            key={m.id}
            className={m.id === selected ? 'machine selected' : 'machine'}
            data-testid={`machine-${m.id}`}
            onClick={() => onSelect(m.id === selected ? null : m.id)}
            onDoubleClick={() => hasConsole(m.kind) && onOpenConsole(m.id, false)}
          >
            <img src={iconFor(m.kind)} alt="" width={20} height={20} />
            <span className="machine-text">
              <span className="machine-id" title={`${m.id} (${m.kind})`}>
                {m.id}
              </span>
              <span className="machine-ip">{firstIp(m) ?? m.kind}</span>
            </span>
            {hasConsole(m.kind) && (
              <button
                type="button"
                className="btn btn-icon"
                data-testid={`open-console-${m.id}`}
                title={`Open a console on ${m.id}`}
                aria-label={`Open console on ${m.id}`}
                onClick={(e) => {
                  e.stopPropagation();
                  onOpenConsole(m.id, e.shiftKey);
                }}
              >
                <Icon name="terminal" />
              </button>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
});
