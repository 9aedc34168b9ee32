// Packet-list pages asked for ahead of the list. On a cold start the list's first request waits for
// React to render the state that says how many frames there are (~15-30 ms); asked for as soon as
// the state arrives, the page is on its way while that render runs, and the list's identical request
// takes the reply instead of asking again.
import type { FramePage, FrameQuery, LabApi } from '../../shared/api/contract';

export interface ListAhead {
  /** The api whose listFrames takes a reply asked for ahead when its query is the same. */
  api: LabApi;
  /**
   * Ask for these pages now; each reply waits for one identical listFrames call, within
   * AHEAD_WAIT_MS and the task of the first one taken. Replaces those still waiting.
   */
  listFramesAhead(queries: FrameQuery[]): void;
}

/**
 * How long a reply waits to be taken. The list asks within a render of the state; a reply left
 * longer (the list asked for other rows) could be taken after a reset or another lab, with old rows.
 */
export const AHEAD_WAIT_MS = 1000;

const keyOf = (q: FrameQuery): string => JSON.stringify([q.offset, q.limit, q.allCapturePoints ?? false, q.filter ?? '', q.point?.machine ?? null, q.point?.nic ?? null]);

export function withListAhead(api: LabApi, now: () => number = () => performance.now()): ListAhead {
  let waiting = new Map<string, Promise<FramePage>>();
  let askedAt = 0;
  return {
    api: {
      ...api,
      listFrames: (q) => {
        if (waiting.size > 0 && now() - askedAt > AHEAD_WAIT_MS) waiting = new Map();
        const key = keyOf(q);
        const reply = waiting.get(key);
        if (!reply) return api.listFrames(q);
        // Taken once: later asks (a refetch of a short page, a new epoch) go to the host. The list
        // asks for its first pages in one go: what it did not take then is not for it.
        waiting.delete(key);
        const taking = waiting;
        setTimeout(() => {
          if (waiting === taking) waiting = new Map(); // not pages asked for since
        }, 0);
        return reply;
      },
    },
    listFramesAhead(queries) {
      waiting = new Map();
      askedAt = now();
      for (const q of queries) {
        const reply = api.listFrames(q);
        // A failure nobody takes is not an unhandled rejection; the taker still sees it.
        reply.catch(() => {});
        waiting.set(keyOf(q), reply);
      }
    },
  };
}
