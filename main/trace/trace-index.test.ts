import { describe, expect, it } from 'vitest';
import { IO_MAX_BUCKETS } from '../../shared/analysis';
import { IcmpType } from '../../shared/wire';
import { flowGraph, followStream } from './analyze';
import { TraceStore } from './store';
import { H1, H2, pingFrame } from './test-lab';
import { TraceIndex } from './trace-index';

describe('TraceIndex', () => {
  it('refuses an I/O graph of more intervals than IO_MAX_BUCKETS, and draws it with a longer interval', () => {
    const store = TraceStore.open(':memory:');
    // Two pings 20 s apart: 20,001 intervals of 1 ms (more than IO_MAX_BUCKETS), 2,001 of 10 ms.
    store.frame({ at: 1e9, frameId: 1, first: true, machine: 'h1', nic: 'eth0', dir: 'tx', bytes: pingFrame(IcmpType.ECHO_REQUEST, H1, H2, 1) });
    store.frame({ at: 21e9, frameId: 2, first: true, machine: 'h2', nic: 'eth0', dir: 'tx', bytes: pingFrame(IcmpType.ECHO_REPLY, H2, H1, 1) });
    const index = new TraceIndex().advance(store);
    expect(() => index.ioGraph(1e6)).toThrow(`ioGraph: 20001 intervals of 1 ms; choose a longer interval (at most ${IO_MAX_BUCKETS} per graph)`);
    const g = index.ioGraph(10e6, [2]);
    expect([g.startNs, g.all.frames.length, g.all.frames[0], g.all.frames[2000], g.selected!.frames[2000]]).toEqual([1e9, 2001, 1, 1, 1]);
    expect(g.selected!.frames[0]).toBe(0);
    store.close();
  });

  it('a stream the trace does not have: followStream and flowGraph say which streams there are', () => {
    const store = TraceStore.open(':memory:');
    store.frame({ at: 1e9, frameId: 1, first: true, machine: 'h1', nic: 'eth0', dir: 'tx', bytes: pingFrame(IcmpType.ECHO_REQUEST, H1, H2, 1) });
    const index = new TraceIndex();
    expect(() => followStream(store, index, 0)).toThrow('followStream: there is no TCP stream 0 (the trace has no TCP streams)');
    expect(() => flowGraph(store, index, { stream: 3 })).toThrow('flowGraph: there is no TCP stream 3 (the trace has no TCP streams)');
    store.close();
  });
});
