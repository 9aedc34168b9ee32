import { describe, expect, it, vi } from 'vitest';
import type { FramePage, FrameQuery, LabApi } from '../../shared/api/contract';
import { AHEAD_WAIT_MS, withListAhead } from './ahead';

function fakeApi() {
  const asked: FrameQuery[] = [];
  const replies: { resolve(p: FramePage): void; reject(e: Error): void }[] = [];
  const api = {
    listFrames: vi.fn((q: FrameQuery) => {
      asked.push(q);
      return new Promise<FramePage>((resolve, reject) => replies.push({ resolve, reject }));
    }),
    getState: vi.fn(() => Promise.resolve({ doc: {}, status: { frameCount: 1_000_063 } })),
    listDrops: vi.fn(),
  } as unknown as LabApi;
  return { api, asked, replies };
}

const page = (offset: number): FramePage => ({ total: 1000, rows: [{ no: offset + 1 } as FramePage['rows'][number]] });

describe('withListAhead', () => {
  it("gives a page asked for ahead to the list's identical request, once", async () => {
    const { api, asked, replies } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    ahead.listFramesAhead([{ offset: 800, limit: 200 }]);
    expect(asked).toEqual([{ offset: 800, limit: 200 }]);
    const taken = ahead.api.listFrames({ offset: 800, limit: 200 });
    expect(asked).toHaveLength(1); // not asked again
    replies[0]!.resolve(page(800));
    expect(await taken).toEqual(page(800));
    // A second identical request (a short page refetched) goes to the host.
    void ahead.api.listFrames({ offset: 800, limit: 200 });
    expect(asked).toHaveLength(2);
  });

  it('does not hand a page to a request for other rows, another filter or capture point', () => {
    const { api, asked } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    ahead.listFramesAhead([{ offset: 800, limit: 200 }]);
    void ahead.api.listFrames({ offset: 600, limit: 200 });
    void ahead.api.listFrames({ offset: 800, limit: 200, filter: 'tcp' });
    void ahead.api.listFrames({ offset: 800, limit: 200, point: { machine: 'h1' } });
    void ahead.api.listFrames({ offset: 800, limit: 200, point: { machine: 'h1', nic: 'eth0' } });
    void ahead.api.listFrames({ offset: 800, limit: 200, allCapturePoints: true });
    expect(asked).toHaveLength(6);
  });

  it('drops the pages still waiting when asked ahead again', () => {
    const { api, asked } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    ahead.listFramesAhead([{ offset: 800, limit: 200 }]);
    ahead.listFramesAhead([{ offset: 1000, limit: 200 }]);
    void ahead.api.listFrames({ offset: 800, limit: 200 });
    void ahead.api.listFrames({ offset: 1000, limit: 200 });
    expect(asked.map((q) => q.offset)).toEqual([800, 1000, 800]);
  });

  it('passes a failure to the request that takes it, and a failure nobody takes is not unhandled', async () => {
    const { api, replies } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      ahead.listFramesAhead([{ offset: 0, limit: 200 }, { offset: 200, limit: 200 }]);
      replies[0]!.reject(new Error('trace gone'));
      replies[1]!.reject(new Error('trace gone'));
      await expect(ahead.api.listFrames({ offset: 0, limit: 200 })).rejects.toThrow('trace gone');
      await new Promise((r) => setTimeout(r, 0));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('sends a page not taken at once to the host when it is asked for later', async () => {
    const { api, asked } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    ahead.listFramesAhead([{ offset: 800, limit: 200 }, { offset: 600, limit: 200 }]);
    void ahead.api.listFrames({ offset: 800, limit: 200 }); // the list's first pages, in one go
    await new Promise((r) => setTimeout(r, 0));
    void ahead.api.listFrames({ offset: 600, limit: 200 }); // later (after a reset, say)
    expect(asked.map((q) => q.offset)).toEqual([800, 600, 600]);
  });

  it('keeps pages asked for after a take', async () => {
    const { api, asked } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    ahead.listFramesAhead([{ offset: 800, limit: 200 }]);
    void ahead.api.listFrames({ offset: 800, limit: 200 });
    ahead.listFramesAhead([{ offset: 600, limit: 200 }]);
    await new Promise((r) => setTimeout(r, 0));
    void ahead.api.listFrames({ offset: 600, limit: 200 });
    expect(asked.map((q) => q.offset)).toEqual([800, 600]);
  });

  it('sends a page to the host when nothing was taken within AHEAD_WAIT_MS', () => {
    const { api, asked } = fakeApi();
    let t = 0;
    const ahead = withListAhead(api, () => 900, () => t);
    ahead.listFramesAhead([{ offset: 800, limit: 200 }, { offset: 600, limit: 200 }]);
    t = AHEAD_WAIT_MS;
    void ahead.api.listFrames({ offset: 800, limit: 200 });
    t = AHEAD_WAIT_MS + 1;
    void ahead.api.listFrames({ offset: 600, limit: 200 });
    expect(asked.map((q) => q.offset)).toEqual([800, 600, 600]);
  });

  it("asks, on the first state's reply and before handing it on, for the pages a list at the end shows first", async () => {
    const { api, asked } = fakeApi();
    const ahead = withListAhead(api, () => 900);
    const state = await ahead.api.getState();
    expect(state.status.frameCount).toBe(1_000_063);
    expect(asked).toEqual([
      { offset: 1_000_000, limit: 200 },
      { offset: 999_800, limit: 200 },
    ]);
    void ahead.api.listFrames({ offset: 999_800, limit: 200 }); // the list's own request takes the reply
    expect(asked).toHaveLength(2);
    await ahead.api.getState(); // a reconnection: the list has its pages
    expect(asked).toHaveLength(2);
  });

  it('leaves the other methods as they are', () => {
    const { api } = fakeApi();
    expect(withListAhead(api, () => 900).api.listDrops).toBe(api.listDrops);
  });
});
