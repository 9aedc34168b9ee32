// The shape Electron's preload exposes as `window.lab` (main/preload forwards to IPC_CALL / IPC_EVENT).
import type { LabEvent, OpenedFile } from '../../shared/api/contract';

export interface LabBridge {
  call(method: string, args: unknown[]): Promise<unknown>;
  onEvent(cb: (e: LabEvent) => void): () => void;
  /** The Capture button: main's native dialog, then the file opened by its path (past the upload limit). */
  openFileDialog(): Promise<OpenedFile>;
}

declare global {
  interface Window {
    /** Present in Electron only (contextBridge); absent in browser mode. */
    lab?: LabBridge;
  }
}
