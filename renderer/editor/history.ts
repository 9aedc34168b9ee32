// Undo/redo over immutable documents. Every edit produces a new document (edits.ts never mutates),
// so the history keeps whole snapshots: they share all untouched parts, an undo is exact by
// construction, and no edit needs a hand-written inverse that could drift from its forward form.
// Runs of one gesture (a drag, typing in one field) merge into a single step by `mergeKey`.

export interface Step<T> {
  doc: T;
  /** What the step did, for "Undo move sw1" style labels. */
  label: string;
}

export interface Commit {
  label: string;
  /** Consecutive commits with the same key replace each other's "after" (one undo step). */
  mergeKey?: string;
}

export const MAX_UNDO = 500;

export class History<T> {
  private past: Step<T>[] = [];
  private future: Step<T>[] = [];
  private lastMergeKey: string | undefined;

  constructor(private current: T) {}

  get doc(): T {
    return this.current;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** The label of what undo() would take back, or null. */
  get undoLabel(): string | null {
    return this.past.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.future.at(-1)?.label ?? null;
  }

  /** Make `next` current as one undoable step; a no-op edit (same document) records nothing. */
  commit(next: T, c: Commit): void {
    if (next === this.current) return;
    const merge = c.mergeKey !== undefined && c.mergeKey === this.lastMergeKey && this.past.length > 0;
    if (!merge) {
      this.past.push({ doc: this.current, label: c.label });
      if (this.past.length > MAX_UNDO) this.past.shift();
    }
    this.current = next;
    this.future = [];
    this.lastMergeKey = c.mergeKey;
  }

  /** End the current merge run (a drag released, a field left): the next commit is its own step. */
  seal(): void {
    this.lastMergeKey = undefined;
  }

  undo(): T | null {
    const step = this.past.pop();
    if (!step) return null;
    this.future.push({ doc: this.current, label: step.label });
    this.current = step.doc;
    this.lastMergeKey = undefined;
    return this.current;
  }

  redo(): T | null {
    const step = this.future.pop();
    if (!step) return null;
    this.past.push({ doc: this.current, label: step.label });
    this.current = step.doc;
    this.lastMergeKey = undefined;
    return this.current;
  }

  /** Start over from `doc` (a file opened): nothing to undo. */
  reset(doc: T): void {
    this.current = doc;
    this.past = [];
    this.future = [];
    this.lastMergeKey = undefined;
  }
}
