// Packet scripts for TCP state-table cells (DESIGN.md section 8, habit 8): the entry point of the
// cell tests. `script()` gives a MachineScript (core.ts: send / expectSent / expectNothing /
// advance, the app's socket calls, the machine's tables and counters) plus builders that walk the
// socket under test into each state with real syscalls and real segments, checking every step:
//
//   passive: listen -> toSynRecv -> toEstablished -> toFinWait1 -> toFinWait2 -> toTimeWait
//                                               \-> toCloseWait -> toLastAck; toFinWait1 -> toClosing
//   active:  connect -> toSynSent -> toEstablishedActive (and { active: true } on the later ones)
//
// A builder consumes what the machine sent on the way, so a cell starts with nothing pending.
import { expect } from 'vitest';
import { MS } from '../../../../sim';
import { MachineScript, type ScriptOptions } from './core';
import { RTT } from './segments';

export { MS, SEC } from '../../../../sim';
export type { ScriptOptions } from './core';
export * from './segments';

type CloseOpts = { by?: 'close' | 'shutdown'; active?: boolean };

export class Script extends MachineScript {
  /** LISTEN -> (peer SYN) -> SYN_RECV: a request sock; the SYN-ACK is checked and consumed. */
  toSynRecv(): this {
    if (this.lfd < 0) this.listen();
    this.send({ flags: 'S' });
    this.expectSent({ flags: 'S.', seq: 0, ack: 1, win: 65160, opts: ['mss', 'sackPerm', 'timestamp', 'nop', 'wscale'] });
    expect(this.state()).toBe('SYN_RECV');
    return this;
  }

  /** Passive open to ESTABLISHED; the child is accepted (this.fd). */
  toEstablished(): this {
    this.toSynRecv();
    this.advance(RTT);
    const d = this.send({ flags: '.' });
    expect(d.drops).toEqual([]);
    this.expectNothing();
    expect(this.state()).toBe('ESTABLISHED');
    expect(typeof this.accept()).toBe('number');
    return this;
  }

  /** connect() -> SYN_SENT; the SYN is checked and consumed. */
  toSynSent(): this {
    expect(this.connect()).toBe('EINPROGRESS');
    this.expectSent({ flags: 'S', seq: 0, win: 64240, opts: ['mss', 'sackPerm', 'timestamp', 'nop', 'wscale'] });
    expect(this.state()).toBe('SYN_SENT');
    return this;
  }

  /** Active open to ESTABLISHED (the handshake gives an RTT sample of RTT). */
  toEstablishedActive(): this {
    this.toSynSent();
    this.advance(RTT);
    this.send({ flags: 'S.', seq: 0, ack: 1 });
    this.expectSent({ flags: '.', seq: 1, ack: 1 });
    expect(this.state()).toBe('ESTABLISHED');
    expect(this.soError()).toBe('0');
    return this;
  }

  /** ESTABLISHED -> FIN_WAIT1 by close() (orphan) or shutdown(SHUT_WR); our FIN is consumed. */
  toFinWait1(o: CloseOpts = {}): this {
    if (o.active) this.toEstablishedActive();
    else this.toEstablished();
    if ((o.by ?? 'close') === 'close') expect(this.close()).toBe('0');
    else expect(this.shutdown('wr')).toBe('0');
    this.expectSent({ flags: 'F.', seq: 1, ack: 1 });
    expect(this.state()).toBe('FIN_WAIT1');
    return this;
  }

  /** FIN_WAIT1 -> (ACK of our FIN) -> FIN_WAIT2. */
  toFinWait2(o: CloseOpts = {}): this {
    this.toFinWait1(o);
    this.advance(RTT);
    this.send({ flags: '.', ack: 2 });
    this.expectNothing();
    expect(this.state()).toBe('FIN_WAIT2');
    return this;
  }

  /** FIN_WAIT2 -> (peer FIN) -> TIME_WAIT; our ACK is consumed. */
  toTimeWait(o: CloseOpts = {}): this {
    this.toFinWait2(o);
    this.send({ flags: 'F.' });
    this.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(this.state()).toBe('TIME_WAIT');
    return this;
  }

  /** FIN_WAIT1 -> (peer FIN that does not ack ours) -> CLOSING; our ACK is consumed. */
  toClosing(o: CloseOpts = {}): this {
    this.toFinWait1(o);
    this.send({ flags: 'F.', ack: 1 });
    this.expectSent({ flags: '.', seq: 2, ack: 2 });
    expect(this.state()).toBe('CLOSING');
    return this;
  }

  /** ESTABLISHED -> (peer FIN) -> CLOSE_WAIT; the (delayed) ACK of the FIN is consumed. */
  toCloseWait(o: { active?: boolean } = {}): this {
    if (o.active) this.toEstablishedActive();
    else this.toEstablished();
    this.send({ flags: 'F.' });
    expect(this.state()).toBe('CLOSE_WAIT');
    this.expectSent({ flags: '.', seq: 1, ack: 2 }, { within: 200 * MS });
    return this;
  }

  /** CLOSE_WAIT -> close() -> LAST_ACK; our FIN is consumed. */
  toLastAck(o: { active?: boolean } = {}): this {
    this.toCloseWait(o);
    expect(this.close()).toBe('0');
    this.expectSent({ flags: 'F.', seq: 1, ack: 2 });
    expect(this.state()).toBe('LAST_ACK');
    return this;
  }
}

/** A fresh script: the machine under test is idle, nothing listens. */
export function script(opts: ScriptOptions = {}): Script {
  return new Script(opts);
}
