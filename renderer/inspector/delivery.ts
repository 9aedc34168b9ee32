// "How it was delivered": a Delivery record as a small pipeline of socket-table lookups ending at
// the socket (or at "no socket" and the kernel's answer). Pure; see delivery.test.ts.
import type { Delivery, LookupStep, SocketStateName } from '../../shared/api';
import { DROP_REASONS } from '../../shared/trace/drop-reasons';
import { ownerLong, ssState } from '../machine/kernel-format';
import { formatSeconds } from '../util/format';

export type StepStatus = 'hit' | 'miss' | 'skipped';

export interface StepView {
  key: string;
  table: LookupStep['table'];
  /** "established", "listener", "wildcard listener"... */
  label: string;
  /** The key looked up, e.g. "10.0.0.2:5000 <- 10.0.0.1:42620" (empty for skipped steps). */
  detail: string;
  status: StepStatus;
  /** What the table is, for the tooltip. */
  title: string;
}

export type OutcomeKind = 'socket' | 'no-socket' | 'dropped';

export interface OutcomeView {
  kind: OutcomeKind;
  /** "socket", "no socket", "dropped". */
  label: string;
  /** The kernel's answer when nothing took it: "RST", "ICMP port unreachable". */
  reply?: string;
}

export interface DeliverySocketView {
  inode: number;
  kind: 'socket' | 'request' | 'timewait';
  local: string;
  peer: string;
  /** `ss` spelling: "ESTAB", "SYN-RECV". */
  state: string;
  /** "server(412) fd 3, server(413) fd 3"; empty when no process holds it (request socks, TIME_WAIT). */
  owners: string;
  /** "socket 10001", "request sock", "TIME_WAIT entry". */
  what: string;
  /** Why no process is listed, when none is. */
  noOwnerNote: string;
}

export interface DeliveryView {
  key: string;
  machine: string;
  /** "1.002345 s" */
  at: string;
  protocol: Delivery['protocol'];
  steps: StepView[];
  outcome: OutcomeView;
  socket?: DeliverySocketView;
  queue?: string;
  /** "SYN_RECV → ESTABLISHED" */
  stateChange?: string;
  drop?: { reason: string; text: string };
  reply?: string;
  summary: string;
  tone: 'delivered' | 'refused' | 'dropped';
}

const TABLES: Record<LookupStep['table'], { label: string; title: string }> = {
  established: {
    label: 'established',
    title: 'Exact 4-tuple hash (Linux __inet_lookup_established): established sockets, request socks (SYN_RECV) and TIME_WAIT entries.',
  },
  listener: { label: 'listener', title: 'Listening sockets bound to this local address and port (inet_lhash2_lookup).' },
  'listener-any': { label: 'wildcard listener', title: 'Listening sockets bound to 0.0.0.0 and this port.' },
  'udp-connected': { label: 'UDP connected', title: 'UDP sockets connect()ed to this peer (full 4-tuple match scores best in __udp4_lib_lookup).' },
  'udp-bound': { label: 'UDP bound', title: 'UDP sockets bound to this local address and port.' },
  'udp-any': { label: 'UDP wildcard', title: 'UDP sockets bound to 0.0.0.0 and this port.' },
  ping: { label: 'ping socket', title: 'ICMP echo sockets, looked up by the echo identifier (ping_lookup).' },
};

/** Linux's TCP lookup order (__inet_lookup): the steps after a hit are shown as not needed. */
const TCP_ORDER: LookupStep['table'][] = ['established', 'listener', 'listener-any'];

export function deliveryView(d: Delivery, index = 0): DeliveryView {
  const steps: StepView[] = d.steps.map((s, i) => ({
    key: `${i}:${s.table}`,
    table: s.table,
    label: TABLES[s.table].label,
    detail: s.key,
    status: s.hit ? 'hit' : 'miss',
    title: TABLES[s.table].title,
  }));
  const hitAt = d.steps.findIndex((s) => s.hit);
  if (d.protocol === 'tcp' && hitAt >= 0) {
    const at = TCP_ORDER.indexOf(d.steps[hitAt].table);
    if (at >= 0) {
      for (const table of TCP_ORDER.slice(at + 1)) {
        if (d.steps.some((s) => s.table === table)) continue;
        steps.push({ key: `skip:${table}`, table, label: TABLES[table].label, detail: '', status: 'skipped', title: `${TABLES[table].title} Not looked up: an earlier table matched.` });
      }
    }
  }

  const outcome: OutcomeView = d.socket
    ? { kind: 'socket', label: 'socket' }
    : hitAt < 0 && d.steps.length > 0
      ? { kind: 'no-socket', label: 'no socket', reply: d.reply }
      : { kind: 'dropped', label: 'dropped', reply: d.reply };

  const socket: DeliverySocketView | undefined = d.socket && {
    inode: d.socket.inode,
    kind: d.socket.kind,
    local: d.socket.local,
    peer: d.socket.peer,
    state: ssState(d.socket.state),
    owners: d.socket.owners.map(ownerLong).join(', '),
    what: d.socket.kind === 'request' ? 'request sock' : d.socket.kind === 'timewait' ? 'TIME_WAIT entry' : d.socket.inode > 0 ? `socket ${d.socket.inode}` : 'socket',
    noOwnerNote: noOwnerNote(d.socket.kind, d.socket.state),
  };

  const drop = d.drop && { reason: d.drop.reason, text: d.drop.text || DROP_REASONS[d.drop.reason] || '' };
  const tone: DeliveryView['tone'] = d.drop ? (d.reply ? 'refused' : 'dropped') : d.socket ? 'delivered' : d.reply ? 'refused' : 'dropped';

  return {
    key: `${index}:${d.machine}:${d.frameId}`,
    machine: d.machine,
    at: `${formatSeconds(d.atNs)} s`,
    protocol: d.protocol,
    steps,
    outcome,
    socket,
    queue: d.queue,
    stateChange: d.stateChange ? `${d.stateChange.from} → ${d.stateChange.to}` : undefined,
    drop,
    reply: d.reply,
    summary: d.summary,
    tone,
  };
}

/** Why a socket has no owner: not a file at all, not accept()ed yet, or its last fd was closed. */
function noOwnerNote(kind: DeliverySocketView['kind'], state: SocketStateName): string {
  if (kind === 'request') return 'a request sock: no file, no fd';
  if (kind === 'timewait') return 'a TIME_WAIT entry: no file, no fd';
  if (state === 'ESTABLISHED' || state === 'CLOSE_WAIT' || state === 'SYN_RECV') return 'no process holds it: not accept()ed yet';
  return 'no process holds it: its last fd was closed';
}

export const NO_DELIVERY = "No delivery record for this frame (it was not received by a machine's stack, or it came from an imported capture).";
