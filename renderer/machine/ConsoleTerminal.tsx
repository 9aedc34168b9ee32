// One xterm terminal bound to one console session. The host echoes and edits lines like a real
// tty, so keystrokes go straight to consoleInput with no local echo.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import type { LabApi } from '../../shared/api/contract';
import { cleanErrorMessage } from '../api';
import type { ConsoleRouter } from './console-router';
import { tabTestId, type ConsoleTab } from './tabs';

const THEME = {
  background: '#16191d',
  foreground: '#d6dae0',
  cursor: '#d6dae0',
  selectionBackground: '#3a4a63',
  black: '#1e2227',
  brightBlack: '#5c6370',
};

/** The host throws `no console "<id>" (...)` for a session it no longer has; say so plainly, else show the reason. */
function inputFailure(err: unknown): string {
  const msg = cleanErrorMessage(err);
  if (msg.startsWith('no console "')) return 'console session is closed';
  return `console input failed: ${msg.replace(/\r?\n/g, '\r\n')}`;
}

export function ConsoleTerminal(props: { tab: ConsoleTab; active: boolean; api: LabApi; router: ConsoleRouter }) {
  const { tab, active, api, router } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const idRef = useRef(tab.consoleId);
  const inputFailed = useRef(false);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme: THEME,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    termRef.current = term;
    fitRef.current = fit;
    const sub = term.onData((data) => {
      api.consoleInput(idRef.current, data).then(
        () => {
          inputFailed.current = false;
        },
        (err: unknown) => {
          if (inputFailed.current) return;
          inputFailed.current = true;
          term.write(`\r\n\x1b[31m[${inputFailure(err)}]\x1b[0m\r\n`);
        },
      );
    });
    const ro = new ResizeObserver(() => {
      if (host.offsetWidth > 0 && host.offsetHeight > 0) fit.fit();
    });
    ro.observe(host);
    return () => {
      ro.disconnect();
      sub.dispose();
      term.dispose();
      termRef.current = null;
      fitRef.current = null;
    };
  }, [api]);

  // Route this session's output to the terminal; a new id means another lab was opened.
  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    if (idRef.current !== tab.consoleId) {
      idRef.current = tab.consoleId;
      inputFailed.current = false;
      term.write('\r\n\x1b[90m--- new lab opened: new session ---\x1b[0m\r\n');
    }
    return router.attach(tab.consoleId, (data) => term.write(data));
  }, [router, tab.consoleId]);

  useEffect(() => {
    if (!active) return;
    const host = hostRef.current;
    if (host && host.offsetWidth > 0) fitRef.current?.fit();
    termRef.current?.focus();
  }, [active]);

  return <div className="console-term" data-testid={`console-${tabTestId(tab)}`} data-console-id={tab.consoleId} ref={hostRef} hidden={!active} />;
}
