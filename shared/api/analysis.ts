// What the trace analyses answer over the API (Follow TCP Stream, flow graph, conversations).
import type { ConvKind, Conversation, Endpoint, FlowItem, IoSeries } from '../analysis';

export type { ConvKind, Conversation, Endpoint, FlowItem };

export interface FollowChunkView {
  fromServer: boolean;
  no: number;
  timeNs: number;
  dataBase64: string;
  /** A gap of this many bytes the peer acknowledged but the capture never saw (data is the note). */
  missing?: number;
}

export interface FollowStream {
  stream: number;
  /** "addr:port" of each side; the client sent the stream's first segment. */
  client: string;
  server: string;
  chunks: FollowChunkView[];
  clientBytes: number;
  serverBytes: number;
  /** Frames in the stream (with or without payload). */
  frameCount: number;
  /** The chunks stop at FOLLOW_MAX_BYTES; the byte counts are still the whole stream's. */
  truncated: boolean;
}

/** Bytes of payload a Follow TCP Stream answer carries at most. */
export const FOLLOW_MAX_BYTES = 4 * 1024 * 1024;

export interface FlowQuery {
  /** One TCP stream's frames ... */
  stream?: number;
  /** ... or the frames a display filter selects (neither: every frame). */
  filter?: string;
  /** Arrows at most (default and maximum FLOW_MAX_ITEMS). */
  limit?: number;
}

export const FLOW_MAX_ITEMS = 5000;

export interface FlowGraph {
  /** Nodes left to right in order of first appearance. */
  nodes: string[];
  items: FlowItem[];
  /** Frames selected; more than items.length when the limit cut the graph short. */
  total: number;
}

export interface TrafficStats {
  /** Time of the first frame (conversations' start times count from it). */
  firstNs: number;
  frames: number;
  conversations: Record<ConvKind, Conversation[]>;
  endpoints: Record<ConvKind, Endpoint[]>;
}

export interface IoGraphQuery {
  /** One of IO_INTERVALS_NS. */
  intervalNs: number;
  /** A display filter: its frames as a second series beside all frames. */
  filter?: string;
}

export interface IoGraph {
  /** Bucket i covers [startNs + i*intervalNs, startNs + (i+1)*intervalNs). */
  startNs: number;
  intervalNs: number;
  all: IoSeries;
  /** The filter's frames, when a filter was given. */
  selected?: IoSeries;
}
