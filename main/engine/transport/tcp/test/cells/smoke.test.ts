import { describe, expect, it } from 'vitest';
import { script, MS } from './script';

describe('smoke', () => {
  it('passive', () => {
    const h = script().toEstablished();
    h.send({ flags: 'P.', data: 10 });
    const a = h.expectSent({ flags: '.', seq: 1, ack: 11 });
    console.log(a);
    expect(h.read()).toBe('10 bytes');
    h.toString();
  });
  it('active', () => {
    const h = script().toEstablishedActive();
    expect(h.write(100)).toBe('100');
    console.log(h.expectSent({ flags: 'P.', seq: 1, ack: 1, len: 100 }));
    console.log(h.expectSent({ flags: 'P.', seq: 1, len: 100 }, { within: 2000 * MS }).elapsed / MS);
    console.log(h.expectSent({ flags: 'P.', seq: 1, len: 100 }, { within: 2000 * MS }).elapsed / MS);
  });
  it('states', () => {
    script().toTimeWait();
    script().toClosing();
    script().toLastAck();
    script().toTimeWait({ by: 'shutdown', active: true });
  });
});
