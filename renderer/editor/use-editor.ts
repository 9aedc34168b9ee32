// The editor in the window: an undo history of lab documents whose current one is sent to the
// backend (editLab), which applies it to the running lab. The backend's answer is what the canvas
// shows. A newly opened lab starts a fresh history.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LabApi } from '../../shared/api/contract';
import type { LabDoc } from '../../shared/lab/types';
import type { Edit } from './edits';
import { History } from './history';

export interface EditorState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  /** Why the last edit was refused (shown until the next edit or dismissed). */
  refusal: string | null;
  /** The document differs from the one last opened or saved (undoing back to it clears this). */
  dirty: boolean;
  /**
   * The editor's current document: what was last sent to the backend, shown by the properties at
   * once (a checkbox must not flick back while the backend applies the edit).
   */
  doc: LabDoc | null;
}

export interface EditorActions {
  /**
   * Run an edit on the current document; `mergeKey` folds a gesture's steps into one undo step.
   * A refusal is shown in the editor's banner unless `quiet` (a field shows its own problems).
   */
  apply<E>(edit: (doc: LabDoc) => Edit<E>, mergeKey?: string, quiet?: boolean): Edit<E> | null;
  /** The current gesture (a drag, typing in a field) is over. */
  seal(): void;
  undo(): void;
  redo(): void;
  dismissRefusal(): void;
  /** The current document was just written to a file. */
  markSaved(): void;
  /** The next lab opened was never written to a file (a recovered autosave): it starts dirty. */
  nextOpenUnsaved(): void;
}

const blank = (h: History<LabDoc> | null, refusal: string | null, saved: LabDoc | null): EditorState => ({
  canUndo: h?.canUndo ?? false,
  canRedo: h?.canRedo ?? false,
  undoLabel: h?.undoLabel ?? null,
  redoLabel: h?.redoLabel ?? null,
  refusal,
  dirty: h !== null && h.doc !== saved,
  doc: h?.doc ?? null,
});

export function useEditor(api: LabApi, serverDoc: LabDoc | null, labEpoch: number, reportError: (context: string, err: unknown) => void): [EditorState, EditorActions] {
  const history = useRef<History<LabDoc> | null>(null);
  const epochRef = useRef(-1);
  /** The document as last opened or saved: documents are immutable, so identity is equality. */
  const saved = useRef<LabDoc | null>(null);
  const openUnsaved = useRef(false);
  const [state, setState] = useState<EditorState>(blank(null, null, null));
  const refresh = useCallback((refusal: string | null = null) => setState(blank(history.current, refusal, saved.current)), []);

  // A lab opened (or the first one loaded): its document is where the history starts.
  useEffect(() => {
    if (!serverDoc) return;
    if (!history.current || epochRef.current !== labEpoch) {
      history.current = new History(serverDoc);
      saved.current = openUnsaved.current ? null : serverDoc;
      openUnsaved.current = false;
      epochRef.current = labEpoch;
      refresh();
    }
  }, [serverDoc, labEpoch, refresh]);

  const send = useCallback(
    (doc: LabDoc, label: string) => {
      api.editLab(doc).then(
        (r) => {
          if (!r.ok) reportError(`Applying "${label}" failed`, new Error(r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')));
        },
        (err) => reportError(`Applying "${label}" failed`, err),
      );
    },
    [api, reportError],
  );

  const actions = useMemo<EditorActions>(
    () => ({
      apply(edit, mergeKey, quiet) {
        const h = history.current;
        if (!h) return null;
        const e = edit(h.doc);
        if (!e.ok) {
          if (!quiet) refresh(e.reason);
          return e;
        }
        if (e.doc !== h.doc) {
          h.commit(e.doc, { label: e.label, mergeKey });
          send(e.doc, e.label);
        }
        refresh();
        return e;
      },
      seal: () => history.current?.seal(),
      undo() {
        const h = history.current;
        const label = h?.undoLabel;
        const doc = h?.undo();
        if (doc && label) send(doc, `undo ${label}`);
        refresh();
      },
      redo() {
        const h = history.current;
        const label = h?.redoLabel;
        const doc = h?.redo();
        if (doc && label) send(doc, `redo ${label}`);
        refresh();
      },
      dismissRefusal: () => refresh(),
      nextOpenUnsaved() {
        openUnsaved.current = true;
      },
      markSaved() {
        saved.current = history.current?.doc ?? null;
        refresh();
      },
    }),
    [refresh, send],
  );
  return [state, actions];
}
