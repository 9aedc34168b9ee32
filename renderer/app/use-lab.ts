// Lab state as the UI sees it: connection, document, status, and the actions behind the toolbar.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { IMPORT_MAX_BYTES, importTooLargeMessage, type CapturePointRef, type ImportResult, type OpenedFile, type ExportFormat, type LabState, type LabStatus, type Recovery, type Speed, type StepUnit } from '../../shared/api/contract';
import { importSummary } from '../analysis/import-summary';
import { LAB_FORMAT, type LabError } from '../../shared/lab/types';
import { cleanErrorMessage, type ConnectionState, type LabClient } from '../api';
import { base64ToBytes, bytesToBase64 } from '../util/base64';
import { downloadBlob } from '../util/download';
import { isRestart } from './restart';
import type { ConsoleRouter } from '../machine/console-router';

export interface LabErrorsReport {
  fileName: string;
  errors: LabError[];
}

export interface LabView {
  connection: ConnectionState;
  state: LabState | null;
  status: LabStatus | null;
  /** Bumped when the trace starts over (reset, open, or detected from status): trace views clear. */
  epoch: number;
  /** Bumped when another lab replaces this one: the host has closed every console session. */
  labEpoch: number;
  actionError: string | null;
  labErrors: LabErrorsReport | null;
  /** A lab autosaved by a session that did not end cleanly, offered back. */
  recovery: Recovery | null;
}

export interface LabActions {
  /** An empty lab (the editor's blank page). */
  newLab(): Promise<void>;
  /** Open a pcap/pcapng file in the inspector; the banner text on success, null on failure (reported). */
  importCapture(file: File): Promise<string | null>;
  /** The desktop's way to the same: main's dialog picks the file (any size); null also when cancelled. */
  openCaptureDialog(): Promise<string | null>;
  /** Open lab file text (a file, a recent one, an example); whether it was opened. */
  openText(fileName: string, text: string): Promise<boolean>;
  /** Write the lab to a file of that name; the text written, or null when it failed. */
  save(fileName: string): Promise<string | null>;
  toggleRun(): Promise<void>;
  step(unit: StepUnit): Promise<void>;
  reset(): Promise<void>;
  setSpeed(speed: Speed): Promise<void>;
  exportCapture(format: ExportFormat, filter?: string, point?: CapturePointRef): Promise<void>;
  /** Open the offered lab again, or drop it. */
  /** `onRecovered` runs only when the lab really came back, just before it is shown. */
  settleRecovery(choice: 'recover' | 'discard', onRecovered?: () => void): Promise<void>;
  dismissActionError(): void;
  dismissLabErrors(): void;
  reportError(context: string, err: unknown): void;
}

export function useLab(client: LabClient, router: ConsoleRouter): [LabView, LabActions] {
  const { api } = client;
  const [connection, setConnection] = useState<ConnectionState>(() => client.connection);
  const [state, setState] = useState<LabState | null>(null);
  const [status, setStatusRaw] = useState<LabStatus | null>(null);
  const [epoch, setEpoch] = useState(0);
  const [labEpoch, setLabEpoch] = useState(0);
  const [actionError, setActionError] = useState<string | null>(null);
  const [labErrors, setLabErrors] = useState<LabErrorsReport | null>(null);
  const [recovery, setRecovery] = useState<Recovery | null>(null);
  const statusRef = useRef<LabStatus | null>(null);

  const applyStatus = useCallback((next: LabStatus, forceRestart = false, newLab = false) => {
    const prev = statusRef.current;
    const replaced = newLab || (prev !== null && prev.labName !== next.labName);
    const restarted = forceRestart || replaced || isRestart(prev, next);
    statusRef.current = next;
    setStatusRaw(next);
    if (restarted) setEpoch((e) => e + 1);
    if (replaced) setLabEpoch((e) => e + 1);
  }, []);

  const applyState = useCallback(
    (next: LabState, forceRestart = false, newLab = false) => {
      setState(next);
      applyStatus(next.status, forceRestart, newLab);
    },
    [applyStatus],
  );

  const reportError = useCallback((context: string, err: unknown) => {
    setActionError(`${context}: ${cleanErrorMessage(err)}`);
  }, []);

  // Events and connection; the state is (re)loaded on every (re)connect. A layout effect: subscribed
  // in the first render's commit, the state is asked for as soon as the socket is open (main.tsx opens
  // it before that render), not after the first paint, when a passive effect would run (~30 ms later
  // on a cold start, each of them on the way to the packet list's first rows).
  useLayoutEffect(() => {
    const offEvent = client.onEvent((e) => {
      switch (e.type) {
        case 'status':
          applyStatus(e.status);
          break;
        case 'lab':
          applyState(e.state);
          break;
        case 'console':
          router.write(e.consoleId, e.data);
          break;
        case 'fault':
          setActionError(e.message);
          break;
      }
    });
    const offConn = client.onConnection((c) => {
      // Its first call gives the object the state started with: no second render before the first paint.
      setConnection(c);
      if (c.kind === 'open') {
        api.getState().then(
          (s) => applyState(s),
          (err) => reportError('Loading the lab failed', err),
        );
        api.getRecovery().then(setRecovery, (err) => reportError('Looking for an autosaved lab failed', err));
      }
    });
    return () => {
      offEvent();
      offConn();
    };
  }, [client, api, router, applyState, applyStatus, reportError]);

  const run = useCallback(
    async (context: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        reportError(context, err);
      }
    },
    [reportError],
  );

  const openText = useCallback(
    async (fileName: string, text: string): Promise<boolean> => {
      const result = await api.openLab(text);
      if (result.ok) {
        setLabErrors(null);
        applyState(result.state, true, true);
        return true;
      }
      setLabErrors({ fileName, errors: result.errors });
      return false;
    },
    [api, applyState],
  );

  /** An imported or opened capture replaces the lab: the banner text, or the refusal thrown. */
  const showImported = useCallback(
    (fileName: string, r: ImportResult): string => {
      if (!r.ok) throw new Error(r.error);
      setLabErrors(null);
      applyState(r.state, true, true);
      return importSummary(fileName, r.report);
    },
    [applyState],
  );

  const actions = useMemo<LabActions>(
    () => ({
      newLab: () =>
        run('Starting a new lab failed', async () => {
          const result = await api.openLab(JSON.stringify({ format: LAB_FORMAT, name: 'untitled', machines: [], links: [] }));
          if (result.ok) {
            setLabErrors(null);
            applyState(result.state, true, true);
          }
        }),
      importCapture: async (file) => {
        try {
          if (file.size > IMPORT_MAX_BYTES) throw new Error(importTooLargeMessage({ name: file.name, bytes: file.size }));
          return showImported(file.name, await api.importCapture(file.name, bytesToBase64(new Uint8Array(await file.arrayBuffer()))));
        } catch (err) {
          reportError(`Importing ${file.name} failed`, err);
          return null;
        }
      },
      openCaptureDialog: async () => {
        let opened: OpenedFile = null;
        try {
          opened = (await client.openFileDialog?.()) ?? null;
          return opened && showImported(opened.fileName, opened.result);
        } catch (err) {
          reportError(opened ? `Opening ${opened.fileName} failed` : 'Opening a capture failed', err);
          return null;
        }
      },
      openText: async (fileName, text) => {
        try {
          return await openText(fileName, text);
        } catch (err) {
          reportError(`Opening ${fileName} failed`, err);
          return false;
        }
      },
      save: async (fileName) => {
        try {
          const text = await api.saveLab();
          downloadBlob(text, fileName, 'application/json');
          return text;
        } catch (err) {
          reportError('Saving the lab failed', err);
          return null;
        }
      },
      toggleRun: () =>
        run('Run/Pause failed', async () => {
          applyStatus(await (statusRef.current?.running ? api.pause() : api.run()));
        }),
      step: (unit) =>
        run('Step failed', async () => {
          applyStatus(await api.step(unit));
        }),
      reset: () =>
        run('Reset failed', async () => {
          applyState(await api.reset(), true);
        }),
      setSpeed: (speed) =>
        run('Changing the speed failed', async () => {
          applyStatus(await api.setSpeed(speed));
        }),
      exportCapture: (format, filter, point) =>
        run(`Export ${format} failed`, async () => {
          const r = await api.exportCapture(format, filter, point);
          downloadBlob(base64ToBytes(r.dataBase64), r.fileName, r.mimeType);
        }),
      settleRecovery: (choice, onRecovered) =>
        run('Recovering the lab failed', async () => {
          setRecovery(null);
          const r = await api.settleRecovery(choice);
          if (r?.ok) {
            onRecovered?.();
            setLabErrors(null);
            applyState(r.state, true, true);
          }
        }),
      dismissActionError: () => setActionError(null),
      dismissLabErrors: () => setLabErrors(null),
      reportError,
    }),
    [client, api, run, applyState, applyStatus, reportError, openText, showImported],
  );

  return [{ connection, state, status, epoch, labEpoch, actionError, labErrors, recovery }, actions];
}
