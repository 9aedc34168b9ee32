// Lab files as a person expects them from a desktop editor: the file a lab came from is the one
// Save writes again (in browser mode: a download of that name), Save as asks for a name, and the
// files opened or saved lately are one click away (recent.ts).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { LabActions } from '../app/use-lab';
import { safeFileName } from '../util/download';
import { readStored, writeStored } from '../util/storage';
import { addRecent, labFileName, labNameOf, parseRecent, RECENT_KEY, type RecentLab } from './recent';

export interface Files {
  recent: RecentLab[];
  /** The file the current lab was opened from or last saved as, or null (a new lab, an example). */
  fileName: string | null;
  openFile(file: File): Promise<boolean>;
  openRecent(entry: RecentLab): Promise<boolean>;
  /** Write the lab under its file name (or one made from its name). */
  save(): Promise<boolean>;
  /** Ask for a file name, then save under it. */
  saveAs(): Promise<boolean>;
  /** The lab no longer comes from a file (New, an example, a recovered autosave). */
  detach(): void;
}

export function useFiles(actions: LabActions, labName: string | null): Files {
  const [recent, setRecent] = useState<RecentLab[]>(() => parseRecent(readStored(RECENT_KEY)));
  const [fileName, setFileName] = useState<string | null>(null);
  const fileRef = useRef<string | null>(null);
  fileRef.current = fileName;
  const labRef = useRef(labName);
  labRef.current = labName;

  const remember = useCallback((name: string, text: string) => {
    setFileName(name);
    setRecent((list) => {
      const next = addRecent(list, { fileName: name, labName: labNameOf(text, name), text, atMs: Date.now() });
      writeStored(RECENT_KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  const open = useCallback(
    async (name: string, text: string) => {
      const ok = await actions.openText(name, text);
      if (ok) remember(name, text);
      return ok;
    },
    [actions, remember],
  );

  const saveUnder = useCallback(
    async (name: string) => {
      const text = await actions.save(name);
      if (text === null) return false;
      remember(name, text);
      return true;
    },
    [actions, remember],
  );

  return useMemo<Files>(
    () => ({
      recent,
      fileName,
      openFile: async (file) => open(file.name, await file.text()),
      openRecent: (entry) => open(entry.fileName, entry.text),
      save: () => saveUnder(fileRef.current ?? `${safeFileName(labRef.current || 'lab')}.lab.json`),
      saveAs: async () => {
        const suggested = fileRef.current ?? `${safeFileName(labRef.current || 'lab')}.lab.json`;
        const answer = window.prompt('Save the lab as (file name):', suggested);
        if (answer === null) return false;
        const name = labFileName(answer);
        if (!name) {
          window.alert(`"${answer}" cannot be a file name.`);
          return false;
        }
        return saveUnder(name);
      },
      detach: () => setFileName(null),
    }),
    [recent, fileName, open, saveUnder],
  );
}
