// When the trace's WAL is copied into the database file (writer-thread.ts, checkpoint-thread.ts).
// The writer's connection does not checkpoint as it commits: SQLite's default (every 1000 WAL
// pages) copies each page on the committing thread, and a checkpoint there holds the next batches
// back for about a second per 512 MB. The checkpoint thread copies them beside the commits instead;
// the writer copies only at limitBytes.
export interface WalPolicy {
  /**
   * WAL size (bytes) from which each commit asks the checkpoint thread for a pass. Below it the
   * copy waits for a pause: a run of a few hundred thousand frames then runs without a second
   * thread copying (and syncing) beside it (the 100 MB bulk benchmark: ~60k -> ~67k frames/s).
   */
  checkpointAtBytes: number;
  /**
   * WAL size at which the writer copies the rest itself before its next batch. Under endless load
   * the WAL never restarts (SQLite restarts it only when every frame has been copied, and the copy
   * does not catch up with commits every few ms), so here the simulation waits for the disk instead
   * of the WAL growing without end. A burst of 1M bulk-transfer frames leaves a 1.6 GB WAL (the
   * 1.2 GB of chunks and the b-tree pages each commit rewrites): within the limit.
   */
  limitBytes: number;
  /** Quiet time (ms) after the last batch before a pass that also gives the WAL's space back. */
  idleMs: number;
}

export const DEFAULT_WAL_POLICY: WalPolicy = { checkpointAtBytes: 512 << 20, limitBytes: 2 * 2 ** 30, idleMs: 200 };
