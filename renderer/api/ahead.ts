// Packet-list pages asked for ahead of the list. On a cold start the list's first request waits for
// React to render the state that says how many frames there are (~15-30 ms). The first state's reply
// asks at once for the pages a list opened at the end shows first, so they are on their way while
// that render runs; the list's identical requests take those replies instead of asking again.
import type { FramePage, FrameQuery, LabApi } from '../../shared/api/contract';
import { pagesAtEnd } from '../inspector/paging';

export interface ListAhead {
  /** The api whose first getState asks ahead, and whose listFrames takes a reply asked ahead when its query is the same. */
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

/**
 * `listHeight`: the tallest the list can be (the window's height). Only the first state asks ahead:
 * a list that reconnects has its pages, or a new view that fetches its own.
 */
export function withListAhead(api: LabApi, listHeight: () => number, now: () => number = () => performance.now()): ListAhead {
  let waiting = new Map<string, Promise<FramePage>>();
  let askedAt = 0;
  let firstState = true;
  /** The map the timer set at a take will clear (one timer for the list's go of requests). */
  let clearing: Map<string, Promise<FramePage>> | null = null;

  const listFramesAhead = (queries: FrameQuery[]): void => {
    waiting = new Map();
    askedAt = now();
    for (const q of queries) {
      const reply = api.listFrames(q);
      // A failure nobody takes is not an unhandled rejection; the taker still sees it.
      reply.catch(() => {});
      waiting.set(keyOf(q), reply);
    }
  };

  return {
    api: {
      ...api,
      getState: async () => {
        const state = await api.getState();
        if (firstState) listFramesAhead(pagesAtEnd(state.status.frameCount, listHeight()));
        firstState = false;
        return state;
      },
      listFrames: (q) => {
        if (waiting.size > 0 && now() - askedAt > AHEAD_WAIT_MS) waiting = new Map();
        const key = keyOf(q);
        const reply = waiting.get(key);
        if (!reply) return api.listFrames(q);
        // Taken once: later asks (a refetch of a short page, a new epoch) go to the host. The list
        // asks for its first pages in one go: what it did not take then is not for it.
        waiting.delete(key);
        if (clearing !== waiting) {
          const taking = (clearing = waiting);
          setTimeout(() => {
            if (waiting === taking) waiting = new Map(); // not pages asked for since
            clearing = null;
          }, 0);
        }
        return reply;
      },
    },
    listFramesAhead,
  };
}
