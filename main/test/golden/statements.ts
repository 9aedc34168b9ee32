// Machine-readable statements of what a scenario shows, checkable against any run of it: the real
// kernel's capture (to prove the statement) or our stack's trace (to test the stack).
//
// Connections are named by position in SYN order (0 = the first client to send a SYN) or by a role
// of the scenario ('c3'). Times in filters are trace seconds (t = 0 at the first IP packet);
// segment specs use expect.ts seg() syntax: "S>C R. raw 0 ack 1 win 0 <none>".
import type { TimingOptions } from './compare';
import type { SsCanonOptions } from './ss-compare';
import type { Dir } from './types';

export type ConnRef = number | string;

export interface SegFilter {
  dir?: Dir;
  /** tcpdump flag strings, any of (letter order does not matter). */
  flags?: string | readonly string[];
  /** A length, or 'data' for len > 0. */
  len?: number | 'data';
  /** Trace seconds: at or after / strictly before. */
  after?: number;
  before?: number;
}

export interface SegPick {
  conn: ConnRef;
  where: SegFilter;
  /** Which of the matching segments (default 0 = the first). */
  nth?: number;
}

export interface DatagramFilter {
  kind?: 'udp' | 'icmp';
  dir?: Dir;
  type?: number;
  code?: number;
  /** Port on the server side (UDP), or the quoted one (ICMP). */
  serverPort?: number;
  after?: number;
  before?: number;
}

export interface Tolerance {
  rel?: number;
  abs?: number;
}

export type Statement =
  /** The connection's segments (all / the first n / the last n) are these, field by field. */
  | { kind: 'segments'; conn: ConnRef | 'each'; match: 'exact' | 'prefix' | 'suffix'; expect: readonly string[]; timing?: TimingOptions | false }
  /** Every segment with the spec's direction and flags (in `where`'s window) has the spec's fields. */
  | { kind: 'all'; conns?: readonly ConnRef[]; expect: string; where?: SegFilter }
  /** How many segments match (over the connections together, or in each when `each`). */
  | { kind: 'count'; conns?: readonly ConnRef[]; where: SegFilter; equals?: number; min?: number; max?: number; each?: boolean }
  /** Times of the matching segments, from the first of them (or from the connection's first packet). */
  | { kind: 'offsets'; conn: ConnRef; where: SegFilter; offsets: readonly number[]; from?: 'first-match' | 'connection'; tolerance?: Tolerance }
  /** Time from one segment to the first later one matching `to` in the same connection. */
  | { kind: 'gap'; from: SegPick; to: SegFilter; seconds: number; tolerance?: Tolerance }
  /** `first` happens before `then`. */
  | { kind: 'order'; first: SegPick; then: SegPick }
  /** The matching segments (across connections) share options, MSS, wscale and window. */
  | { kind: 'sameLayout'; conns?: readonly ConnRef[]; where: SegFilter }
  | { kind: 'connections'; count: number; serverPort?: number }
  /** First-packet times of these connections, from the first one's. */
  | { kind: 'startOffsets'; conns: readonly ConnRef[]; offsets: readonly number[]; tolerance?: Tolerance }
  /** Client (ephemeral) ports of the connections, in SYN order. */
  | { kind: 'clientPorts'; serverPort?: number; parity?: 'even' | 'odd'; range?: readonly [number, number]; distinct?: boolean; increasing?: boolean }
  /**
   * README rows 24/28: an RST without ACK has seq = the peer's last ACK; an RST with ACK acks the
   * peer's next sequence number and, from a side that never sent a SYN, has seq 0; nobody answers an RST.
   */
  | { kind: 'rstRules'; conns?: readonly ConnRef[] }
  | { kind: 'datagrams'; where: DatagramFilter; equals: number }
  /** Every matching datagram has these fields. */
  | { kind: 'datagramsAll'; where: DatagramFilter; expect: { tos?: number; df?: boolean; type?: number; code?: number; len?: number } }
  /** Every ICMP error quotes, whole, a datagram the client sent just before (within `withinMs`, default 20). */
  | { kind: 'icmpQuotes'; withinMs?: number }
  /**
   * A socket table (ss) snapshot, rows in canonical form (ss-compare.ts: client ports as c1, c2 ... in
   * SYN order, other ephemeral ports as EPH(even|odd)): exactly these rows, or containing them; or
   * no row in these states.
   */
  | {
    kind: 'ss';
    host?: 'server' | 'client';
    at?: number;
    view?: string;
    /** The snapshot file (tables carry their source); `nth` picks among several matching tables. */
    source?: string;
    nth?: number;
    exact?: readonly string[];
    contains?: readonly string[];
    noState?: readonly string[];
    canon?: Pick<SsCanonOptions, 'users' | 'timer' | 'queues'>;
  }
  /** Counter values (nstat names or bare MIB names). */
  | { kind: 'counters'; equals: Readonly<Record<string, number>> }
  /** A counter equals the number of segments matching a filter (e.g. ListenOverflows = dropped SYNs). */
  | { kind: 'counterIsCount'; counter: string; conns?: readonly ConnRef[]; where: SegFilter }
  /** A program log line (truth: the folder's log file; our stack: the program's output under that name). */
  | { kind: 'log'; file: string; pattern: string };

export interface Check {
  /** Unique in the catalogue, e.g. 'd1.c3-syn-retransmits'. */
  id: string;
  /** Acceptance scenarios and README behaviour rows it supports: ['AS-09', 'row 2']. */
  refs: readonly string[];
  /** One sentence a person can read. */
  text: string;
  statement: Statement;
}
