import { describe, expect, it } from 'vitest';
import { d4Deliveries } from '../machine/fixtures';
import { deliveryView, NO_DELIVERY } from './delivery';

const d = d4Deliveries();

describe('deliveryView', () => {
  it('SYN to a listener: established miss, listener hit, wildcard not needed; SYN queue; SYN-ACK', () => {
    const v = deliveryView(d.syn[0]);
    expect(v.steps.map((s) => [s.label, s.status, s.detail])).toEqual([
      ['established', 'miss', '10.0.0.2:5010 <- 10.0.0.1:40288'],
      ['listener', 'hit', '10.0.0.2:5010'],
      ['wildcard listener', 'skipped', ''],
    ]);
    expect(v.outcome).toEqual({ kind: 'socket', label: 'socket' });
    expect(v.socket).toMatchObject({ state: 'LISTEN', owners: 'server(412) fd 3', what: 'socket 10001', local: '10.0.0.2:5010' });
    expect(v).toMatchObject({ queue: 'SYN queue', reply: 'SYN-ACK', tone: 'delivered', at: '0.100000 s', machine: 'server' });
  });

  it('final ACK: established hit on the request sock; state change; accept queue', () => {
    const v = deliveryView(d.finalAck[0]);
    expect(v.steps.map((s) => s.status)).toEqual(['hit', 'skipped', 'skipped']);
    expect(v.stateChange).toBe('SYN_RECV → ESTABLISHED');
    expect(v.queue).toBe('accept queue');
    expect(v.socket?.owners).toBe('');
    expect(v.socket?.noOwnerNote).toBe('no process holds it: not accept()ed yet');
    expect(deliveryView(d.requestSock[0]).socket?.noOwnerNote).toBe('a request sock: no file, no fd');
    expect(deliveryView({ ...d.finalAck[0], socket: { ...d.finalAck[0].socket!, state: 'FIN_WAIT2' } }).socket?.noOwnerNote).toBe('no process holds it: its last fd was closed');
  });

  it('a drop at a request sock names its reason', () => {
    const v = deliveryView(d.requestSock[0]);
    expect(v.socket?.what).toBe('request sock');
    expect(v.drop).toEqual({ reason: 'NOT_SPECIFIED', text: 'accept queue full (listen overflow)' });
    expect(v.tone).toBe('dropped');
  });

  it('closed TCP port: every table misses, no socket, RST', () => {
    const v = deliveryView(d.closedPort[0]);
    expect(v.steps.map((s) => s.status)).toEqual(['miss', 'miss', 'miss']);
    expect(v.outcome).toEqual({ kind: 'no-socket', label: 'no socket', reply: 'RST' });
    expect(v.drop?.reason).toBe('NO_SOCKET');
    expect(v.tone).toBe('refused');
  });

  it('closed UDP port: ICMP port unreachable; no TCP steps added', () => {
    const v = deliveryView(d.udpClosed[0]);
    expect(v.steps.map((s) => s.label)).toEqual(['UDP bound', 'UDP wildcard']);
    expect(v.outcome.reply).toBe('ICMP port unreachable');
  });

  it('fills a missing drop text from the reason table; no steps means dropped before lookup', () => {
    const v = deliveryView({ ...d.closedPort[0], steps: [], reply: undefined, drop: { reason: 'IP_CSUM', text: '' } });
    expect(v.drop?.text).toBe('bad IPv4 header checksum');
    expect(v.outcome.kind).toBe('dropped');
    expect(v.tone).toBe('dropped');
  });

  it('has the empty-state sentence', () => {
    expect(NO_DELIVERY).toMatch(/^No delivery record for this frame/);
  });
});
