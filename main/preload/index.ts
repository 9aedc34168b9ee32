// The sandboxed preload: exposes window.lab = { call, onEvent, openFileDialog } and nothing else (never
// ipcRenderer itself). Bundled as CommonJS with no npm dependencies (SETUP.md).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, IPC_OPEN_FILE, type LabEvent, type OpenedFile } from '../../shared/api/contract';

contextBridge.exposeInMainWorld('lab', {
  call: (method: string, args: unknown[]): Promise<unknown> => ipcRenderer.invoke(IPC_CALL, method, args),
  openFileDialog: (): Promise<OpenedFile> => ipcRenderer.invoke(IPC_OPEN_FILE),
  onEvent: (cb: (e: LabEvent) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, ev: LabEvent) => cb(ev);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});
