// The desktop's Capture button: the native dialog picks the file in main, and the file is
// opened by its path (LabService.openFile), so a trace of any size opens in place and the page never
// names a path on this computer. Kept apart from electron so that it is tested without it.
import { basename } from 'node:path';
import { CAPTURE_EXTENSIONS, type ImportResult, type OpenedFile } from '../../shared/api/contract';

/** showOpenDialog's options: one file, captures and traces first, anything else on request. */
export const OPEN_CAPTURE_DIALOG = {
  title: 'Open a capture or trace',
  properties: ['openFile'] as Array<'openFile'>,
  filters: [
    { name: 'Captures and Packet Lab traces', extensions: [...CAPTURE_EXTENSIONS] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/** The dialog's answer, as Electron gives it. */
export interface DialogAnswer {
  canceled: boolean;
  filePaths: string[];
}

/**
 * `run`, not run again while an earlier call is still running: a page calling again and again would
 * otherwise stack native dialogs. Such a call gets `busy` (a double click's second call: the dialog
 * it asked for is the one already open, so it is answered as cancelled, not as a failure).
 */
export function oneAtATime<T>(run: () => Promise<T>, busy: T): () => Promise<T> {
  let running = false;
  return async () => {
    if (running) return busy;
    running = true;
    try {
      return await run();
    } finally {
      running = false;
    }
  };
}

/** Ask with `pick`, then open the chosen file; null when the dialog was cancelled. */
export async function openChosenFile(pick: () => Promise<DialogAnswer>, open: (path: string) => ImportResult): Promise<OpenedFile> {
  const answer = await pick();
  const path = answer.canceled ? undefined : answer.filePaths[0];
  if (path === undefined) return null;
  return { fileName: basename(path), result: open(path) };
}
