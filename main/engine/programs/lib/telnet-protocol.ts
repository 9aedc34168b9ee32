// The Telnet protocol, shared by telnetd and the telnet client: the Network Virtual Terminal's byte
// stream (RFC 854) with its IAC commands, option negotiation (RFC 855) kept loop-free by the
// "Q method" of RFC 1143, and subnegotiation framing. Pure: bytes in, bytes and events out; the
// programs do the I/O. Options the lab speaks: ECHO (RFC 857), SUPPRESS-GO-AHEAD (RFC 858),
// TERMINAL-TYPE (RFC 1091), NAWS (RFC 1073).

// RFC 854 "TELNET COMMAND STRUCTURE".
export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const EL = 248;
export const EC = 247;
export const AYT = 246;
export const AO = 245;
export const IP = 244;
export const BRK = 243;
export const DM = 242;
export const NOP = 241;
export const SE = 240;
/** RFC 1184 (LINEMODE) codes netkit's telnet and telnetd also send: end of file, suspend, abort. */
export const xEOF = 236;
export const SUSP = 237;
export const ABORT = 238;

// Option codes (IANA "Telnet Options").
export const TELOPT_BINARY = 0;
export const TELOPT_ECHO = 1;
export const TELOPT_SGA = 3;
export const TELOPT_STATUS = 5;
export const TELOPT_TTYPE = 24;
export const TELOPT_NAWS = 31;
export const TELOPT_TSPEED = 32;
export const TELOPT_LFLOW = 33;
export const TELOPT_LINEMODE = 34;
export const TELOPT_NEW_ENVIRON = 39;
/** RFC 1091: "IAC SB TERMINAL-TYPE IS ... IAC SE" / "IAC SB TERMINAL-TYPE SEND IAC SE". */
export const TTYPE_IS = 0;
export const TTYPE_SEND = 1;

const CR = 13;
const LF = 10;
const NUL = 0;

const OPTION_NAMES: Record<number, string> = {
  [TELOPT_BINARY]: 'BINARY', [TELOPT_ECHO]: 'ECHO', [TELOPT_SGA]: 'SUPPRESS GO AHEAD', [TELOPT_STATUS]: 'STATUS',
  [TELOPT_TTYPE]: 'TERMINAL TYPE', [TELOPT_NAWS]: 'NAWS', [TELOPT_TSPEED]: 'TERMINAL SPEED', [TELOPT_LFLOW]: 'TOGGLE FLOW CONTROL',
  [TELOPT_LINEMODE]: 'LINEMODE', [TELOPT_NEW_ENVIRON]: 'NEW-ENVIRON',
};
const VERB_NAMES: Record<number, string> = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO', [DONT]: 'DONT' };

/** "WILL ECHO", "DO TERMINAL TYPE", "DONT 42" (the names netkit telnet's `toggle options` prints). */
export function describeNegotiation(verb: number, option: number): string {
  return `${VERB_NAMES[verb] ?? verb} ${OPTION_NAMES[option] ?? option}`;
}

/** Double every IAC (0xFF) in data, as RFC 854 requires for a data byte 255. */
export function escapeIac(data: Uint8Array): Uint8Array {
  let n = 0;
  for (const b of data) if (b === IAC) n++;
  if (n === 0) return data;
  const out = new Uint8Array(data.length + n);
  let j = 0;
  for (const b of data) {
    out[j++] = b;
    if (b === IAC) out[j++] = IAC;
  }
  return out;
}

/**
 * Data for the wire in NVT ASCII (not BINARY): IAC doubled, and a CR not followed by LF sent as
 * "CR NUL" (RFC 854: "the sequence CR NUL must be used where a carriage return alone is actually
 * desired"). Like netkit telnetd, a CR at the very end of the buffer counts as a bare CR.
 */
export function nvtEncode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    out.push(b);
    if (b === IAC) out.push(IAC);
    else if (b === CR && data[i + 1] !== LF) out.push(NUL);
  }
  return Uint8Array.from(out);
}

/** "IAC verb option": one negotiation command. */
export function negotiation(verb: number, option: number): Uint8Array {
  return Uint8Array.of(IAC, verb, option);
}

/** "IAC SB option data IAC SE", with IACs in the data doubled (RFC 855). */
export function subnegotiation(option: number, data: Uint8Array): Uint8Array {
  const body = escapeIac(data);
  const out = new Uint8Array(body.length + 5);
  out.set([IAC, SB, option]);
  out.set(body, 3);
  out.set([IAC, SE], body.length + 3);
  return out;
}

/** "IAC command" (IP, AYT, EOF...). */
export function command(code: number): Uint8Array {
  return Uint8Array.of(IAC, code);
}

// ---------------------------------------------------------------- RFC 1143, the Q method

/** RFC 1143 §7: the state of one side of one option. */
export type QState = 'NO' | 'YES' | 'WANTNO' | 'WANTYES';
type Queue = 'EMPTY' | 'OPPOSITE';

interface Side {
  state: QState;
  queue: Queue;
}

/** Which options this end accepts: `local` when the peer asks us (DO), `remote` when it offers (WILL). */
export interface OptionPolicy {
  local(option: number): boolean;
  remote(option: number): boolean;
}

export type TelnetEvent =
  /** An option took effect or ended: `local` is our side (we WILL), `remote` the peer's (it WILL). */
  | { kind: 'enabled' | 'disabled'; side: 'local' | 'remote'; option: number }
  /** IAC followed by a command byte other than negotiation and SB (IP, AYT, EC, EL, EOF, NOP...). */
  | { kind: 'command'; code: number }
  /** A complete subnegotiation (the data with IAC IAC undone). */
  | { kind: 'sb'; option: number; data: Uint8Array }
  /** A protocol slip the Q method tolerates (RFC 1143 "Error: DONT answered by WILL"). */
  | { kind: 'error'; text: string };

/**
 * The option table of one connection (both sides of every option), negotiated by the Q method:
 * each side of an option is NO, YES, WANTNO or WANTYES, with a one-entry queue for a change of
 * mind while a request is outstanding, so two ends can never loop asking and answering.
 */
export class OptionTable {
  private readonly us = new Map<number, Side>();
  private readonly him = new Map<number, Side>();

  constructor(private readonly policy: OptionPolicy) {}

  /** Our side of the option is enabled (we WILL). */
  local(option: number): boolean {
    return this.side(this.us, option).state === 'YES';
  }

  /** The peer's side is enabled (it WILL). */
  remote(option: number): boolean {
    return this.side(this.him, option).state === 'YES';
  }

  /** Is any request of ours still unanswered? */
  get pending(): boolean {
    for (const s of [...this.us.values(), ...this.him.values()]) if (s.state === 'WANTYES' || s.state === 'WANTNO') return true;
    return false;
  }

  localState(option: number): QState {
    return this.side(this.us, option).state;
  }

  remoteState(option: number): QState {
    return this.side(this.him, option).state;
  }

  /** Ask to enable (WILL) or disable (WONT) our side; returns what to send (maybe nothing). */
  requestLocal(option: number, enable: boolean, events: TelnetEvent[] = []): number[] {
    return this.request(this.us, option, enable, WILL, WONT, 'local', events);
  }

  /** Ask the peer to enable (DO) or disable (DONT) its side. */
  requestRemote(option: number, enable: boolean, events: TelnetEvent[] = []): number[] {
    return this.request(this.him, option, enable, DO, DONT, 'remote', events);
  }

  /** A received WILL/WONT/DO/DONT: the reply to send (maybe nothing); changes go to `events`. */
  receive(verb: number, option: number, events: TelnetEvent[]): number[] {
    switch (verb) {
      case WILL:
        return this.receiveYes(this.him, option, DO, DONT, 'remote', this.policy.remote(option), events);
      case WONT:
        return this.receiveNo(this.him, option, DO, DONT, 'remote', events);
      case DO:
        return this.receiveYes(this.us, option, WILL, WONT, 'local', this.policy.local(option), events);
      case DONT:
        return this.receiveNo(this.us, option, WILL, WONT, 'local', events);
      default:
        return [];
    }
  }

  private side(table: Map<number, Side>, option: number): Side {
    let s = table.get(option);
    if (!s) {
      s = { state: 'NO', queue: 'EMPTY' };
      table.set(option, s);
    }
    return s;
  }

  private set(s: Side, next: QState, side: 'local' | 'remote', option: number, events: TelnetEvent[]): void {
    const was = s.state === 'YES';
    s.state = next;
    const is = next === 'YES';
    if (was !== is) events.push({ kind: is ? 'enabled' : 'disabled', side, option });
  }

  /** RFC 1143 §7 "Upon receipt of WILL" (and, for our side, of DO). */
  private receiveYes(table: Map<number, Side>, option: number, yes: number, no: number, side: 'local' | 'remote', agree: boolean, events: TelnetEvent[]): number[] {
    const s = this.side(table, option);
    switch (s.state) {
      case 'NO':
        if (!agree) return [IAC, no, option];
        this.set(s, 'YES', side, option, events);
        return [IAC, yes, option];
      case 'YES':
        return []; // already enabled: no reply, which is what ends a negotiation loop
      case 'WANTNO':
        events.push({ kind: 'error', text: `${describeNegotiation(no, option)} answered by ${describeNegotiation(yes === DO ? WILL : DO, option)}` });
        if (s.queue === 'EMPTY') this.set(s, 'NO', side, option, events);
        else {
          s.queue = 'EMPTY';
          this.set(s, 'YES', side, option, events);
        }
        return [];
      case 'WANTYES':
        if (s.queue === 'EMPTY') {
          this.set(s, 'YES', side, option, events);
          return [];
        }
        s.queue = 'EMPTY';
        this.set(s, 'WANTNO', side, option, events);
        return [IAC, no, option];
    }
  }

  /** RFC 1143 §7 "Upon receipt of WONT" (and, for our side, of DONT). */
  private receiveNo(table: Map<number, Side>, option: number, yes: number, no: number, side: 'local' | 'remote', events: TelnetEvent[]): number[] {
    const s = this.side(table, option);
    switch (s.state) {
      case 'NO':
        return [];
      case 'YES':
        this.set(s, 'NO', side, option, events);
        return [IAC, no, option];
      case 'WANTNO':
        if (s.queue === 'EMPTY') {
          this.set(s, 'NO', side, option, events);
          return [];
        }
        s.queue = 'EMPTY';
        this.set(s, 'WANTYES', side, option, events);
        return [IAC, yes, option];
      case 'WANTYES':
        s.queue = 'EMPTY';
        this.set(s, 'NO', side, option, events);
        return [];
    }
  }

  /** RFC 1143 §7 "If we decide to ask him to enable / disable". */
  private request(table: Map<number, Side>, option: number, enable: boolean, yes: number, no: number, side: 'local' | 'remote', events: TelnetEvent[]): number[] {
    const s = this.side(table, option);
    const want: QState = enable ? 'WANTYES' : 'WANTNO';
    const have: QState = enable ? 'YES' : 'NO';
    if (s.state === have) return []; // already so
    if (s.state === (enable ? 'NO' : 'YES')) {
      this.set(s, want, side, option, events);
      return [IAC, enable ? yes : no, option];
    }
    // A request is outstanding: queue the change of mind, or cancel a queued one.
    if (s.state === want) s.queue = 'EMPTY';
    else s.queue = 'OPPOSITE';
    return [];
  }
}

// ---------------------------------------------------------------- the byte stream

type ParseState = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac';

export interface Received {
  /** The user data, with IAC IAC undone, CR NUL made CR and (crlfToCr) CR LF made CR. */
  data: Uint8Array;
  /** Negotiation replies to send back to the peer. */
  reply: Uint8Array;
  events: TelnetEvent[];
}

export interface TelnetOptions {
  /**
   * A Return arrives as CR LF (RFC 854); a server feeding a terminal's line discipline wants one
   * CR, as telnetd hands the pty (a second character would type an empty line).
   */
  crlfToCr?: boolean;
  /** Longest subnegotiation kept (a peer cannot make us buffer without limit); the rest is dropped. */
  maxSubneg?: number;
}

/**
 * One end of a Telnet connection: parses what arrives (stateful across segments: an IAC may end
 * one segment and its command start the next) and answers negotiation through the option table.
 */
export class Telnet {
  readonly options: OptionTable;
  private state: ParseState = 'data';
  private verb = 0;
  private sbOption = 0;
  private sb: number[] = [];
  private afterCr = false;
  private readonly crlfToCr: boolean;
  private readonly maxSubneg: number;

  constructor(policy: OptionPolicy, opts: TelnetOptions = {}) {
    this.options = new OptionTable(policy);
    this.crlfToCr = opts.crlfToCr ?? false;
    this.maxSubneg = opts.maxSubneg ?? 512;
  }

  receive(chunk: Uint8Array): Received {
    const data: number[] = [];
    const reply: number[] = [];
    const events: TelnetEvent[] = [];
    for (const b of chunk) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          else this.dataByte(b, data);
          break;
        case 'iac':
          this.state = 'data';
          if (b === IAC) this.dataByte(IAC, data);
          else if (b === WILL || b === WONT || b === DO || b === DONT) {
            this.verb = b;
            this.state = 'verb';
          } else if (b === SB) this.state = 'sb-option';
          else if (b !== SE) events.push({ kind: 'command', code: b }); // a stray SE is ignored
          break;
        case 'verb':
          this.state = 'data';
          reply.push(...this.options.receive(this.verb, b, events));
          break;
        case 'sb-option':
          this.sbOption = b;
          this.sb = [];
          this.state = 'sb';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          else if (this.sb.length < this.maxSubneg) this.sb.push(b);
          break;
        case 'sb-iac':
          if (b === IAC) {
            if (this.sb.length < this.maxSubneg) this.sb.push(IAC);
            this.state = 'sb';
          } else if (b === SE) {
            events.push({ kind: 'sb', option: this.sbOption, data: Uint8Array.from(this.sb) });
            this.state = 'data';
          } else {
            // RFC 855 leaves this undefined; like netkit, end the subnegotiation and take the command.
            events.push({ kind: 'sb', option: this.sbOption, data: Uint8Array.from(this.sb) });
            this.state = 'iac';
            const more = this.receive(Uint8Array.of(b));
            data.push(...more.data);
            reply.push(...more.reply);
            events.push(...more.events);
          }
          break;
      }
    }
    return { data: Uint8Array.from(data), reply: Uint8Array.from(reply), events };
  }

  /** Ask for our side of an option to be on or off: the bytes to send. */
  requestLocal(option: number, enable: boolean): Uint8Array {
    return Uint8Array.from(this.options.requestLocal(option, enable));
  }

  /** Ask the peer to turn its side of an option on or off: the bytes to send. */
  requestRemote(option: number, enable: boolean): Uint8Array {
    return Uint8Array.from(this.options.requestRemote(option, enable));
  }

  private dataByte(b: number, data: number[]): void {
    if (this.afterCr) {
      this.afterCr = false;
      if (b === NUL) return; // CR NUL: a carriage return alone
      if (b === LF && this.crlfToCr) return; // CR LF: the Return key, one CR for the terminal
    }
    if (b === CR) this.afterCr = true;
    data.push(b);
  }
}
