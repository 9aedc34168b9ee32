// Follow TCP Stream and the flow graph over the trace's default view (shared/analysis does the
// protocol work; this file picks the frames and shapes the answers for the API).
import { Decoder, flowItem, TcpFollower, type FlowItem } from '../../shared/analysis';
import { FLOW_MAX_ITEMS, FOLLOW_MAX_BYTES, type FlowGraph, type FollowStream } from '../../shared/api/analysis';
import type { FilterView } from './filter-view';
import type { TraceStore } from './store';
import type { TraceIndex } from './trace-index';
import { toBase64 } from './base64';

export function followStream(store: TraceStore, index: TraceIndex, stream: number): FollowStream {
  const nos = index.advance(store).streamFrames(stream);
  if (!nos) throw noStream('followStream', stream, index);
  // The stream's own frames through a fresh decoder: relative numbers and the stream's identity
  // depend only on them, and the decoder numbers the stream 0.
  const dec = new Decoder();
  const follower = new TcpFollower(0, FOLLOW_MAX_BYTES);
  for (let i = 0; i < nos.length; i += 2000) {
    for (const f of store.framesByNo(nos.slice(i, i + 2000))) follower.add(f.no, f.timeNs, f.bytes, dec.decode(f.bytes));
  }
  const r = follower.result();
  const chunks = r.chunks.map((c) => ({ fromServer: c.fromServer, no: c.no, timeNs: c.timeNs, dataBase64: toBase64(c.bytes), ...(c.missing !== undefined ? { missing: c.missing } : {}) }));
  const truncated = r.truncated;
  return { stream, client: r.client, server: r.server, chunks, clientBytes: r.clientBytes, serverBytes: r.serverBytes, frameCount: r.frames.length, truncated };
}

/**
 * The arrows for the selected frames (a stream's, a filter's, or all), in capture order. Relative
 * seq/ack need each conversation from its start, so a filter's or the whole trace's selection is
 * read from the first frame on with one decoder.
 */
export function flowGraph(store: TraceStore, index: TraceIndex, q: { stream?: number; view?: FilterView; limit?: number }): FlowGraph {
  const limit = Math.min(q.limit ?? FLOW_MAX_ITEMS, FLOW_MAX_ITEMS);
  const picked: { no: number; timeNs: number; d: ReturnType<Decoder['decode']> }[] = [];
  let total: number;
  if (q.stream !== undefined) {
    const nos = index.advance(store).streamFrames(q.stream);
    if (!nos) throw noStream('flowGraph', q.stream, index);
    total = nos.length;
    const dec = new Decoder();
    for (const f of store.framesByNo(nos.slice(0, limit))) picked.push({ no: f.no, timeNs: f.timeNs, d: withStream(dec.decode(f.bytes), q.stream) });
  } else {
    const want = q.view ? new Set(q.view.matches) : null;
    total = want ? want.size : store.countFrames();
    const dec = new Decoder();
    for (let after = 0; picked.length < limit; ) {
      const batch = store.scanFrames(after, 2000);
      if (batch.length === 0) break;
      for (const f of batch) {
        const d = dec.decode(f.bytes);
        if ((!want || want.has(f.no)) && picked.length < limit) picked.push({ no: f.no, timeNs: f.timeNs, d });
        after = f.position;
      }
    }
  }
  const rows = new Map(store.rowsByNo(picked.map((p) => p.no)).map((r) => [r.no, r]));
  const items = picked.flatMap((p): FlowItem[] => {
    const r = rows.get(p.no);
    const it = flowItem(p.no, p.timeNs, p.d, r?.protocol ?? '', r?.info ?? '');
    return it ? [it] : [];
  });
  const nodes: string[] = [];
  for (const it of items) for (const n of [it.src, it.dst]) if (!nodes.includes(n)) nodes.push(n);
  return { nodes, items, total };
}

/** A stream number the trace does not have, and the numbers it has. */
function noStream(what: string, stream: number, index: TraceIndex): Error {
  const n = index.streamCount;
  return new Error(`${what}: there is no TCP stream ${stream} (${n === 0 ? 'the trace has no TCP streams' : `streams run from 0 to ${n - 1}`})`);
}

/** A fresh decoder numbers a lone stream 0: give it back its number in the whole capture. */
function withStream<T extends ReturnType<Decoder['decode']>>(d: T, stream: number): T {
  if (d?.tcp) d.tcp.stream = stream;
  return d;
}
