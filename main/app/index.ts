// The desktop app: one window on the LabService, talking over IPC through the preload's window.lab.
// The only code that imports 'electron' (with main/preload).
import { app, BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CALL, IPC_EVENT, IPC_OPEN_FILE } from '../../shared/api/contract';
import { applyHeapPolicy, Autosave, dispatch, LabService, readDefaultLab } from '../service';
import { TraceStore } from '../trace';
import { oneAtATime, OPEN_CAPTURE_DIALOG, openChosenFile } from './open-file';
import { serveRenderer, registerScheme } from './protocol';
import { APP_ORIGIN, hardenSessions, trustedSender } from './security';

const here = dirname(fileURLToPath(import.meta.url)); // out/main after the build

registerScheme();
app.enableSandbox();

async function start(): Promise<void> {
  applyHeapPolicy();
  await app.whenReady();
  hardenSessions();
  serveRenderer(join(here, '../renderer'));
  const store = TraceStore.open(join(app.getPath('userData'), 'trace.sqlite'));
  store.reset({ lab: 'desktop session' });
  // The working lab is autosaved beside the trace; a session that did not end offers it back.
  const autosave = new Autosave(app.getPath('userData'));
  const service = new LabService(readDefaultLab(resolve(here, '..', '..')), { store, autoTick: true, running: true, autosave });

  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    title: 'Packet Lab',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    },
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const refuseUntrusted = (event: IpcMainInvokeEvent): void => {
    if (event.sender !== win.webContents || !trustedSender(event.senderFrame?.url, devUrl)) {
      throw new Error('refused: call from an untrusted frame');
    }
  };
  ipcMain.handle(IPC_CALL, (event, method: unknown, args: unknown) => {
    refuseUntrusted(event);
    return dispatch(service, method, args);
  });
  // No arguments: the path comes from the dialog, never from the page. A window closed while the
  // dialog was open (its service disposed) opens nothing.
  const openFile = oneAtATime(() =>
    openChosenFile(
      async () => {
        const answer = await dialog.showOpenDialog(win, OPEN_CAPTURE_DIALOG);
        return win.isDestroyed() ? { canceled: true, filePaths: [] } : answer;
      },
      (path) => service.openFile(path),
    ),
    null,
  );
  ipcMain.handle(IPC_OPEN_FILE, (event) => {
    refuseUntrusted(event);
    return openFile();
  });
  const unsubscribe = service.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, e);
  });
  win.on('closed', () => {
    unsubscribe();
    service.dispose();
    store.close();
    autosave.end();
  });
  await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

app.on('window-all-closed', () => app.quit());
start().catch((e: Error) => {
  process.stderr.write(`Packet Lab failed to start: ${e.message}\n`);
  app.exit(1);
});
