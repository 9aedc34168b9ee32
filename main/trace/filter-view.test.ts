import { describe, expect, it } from 'vitest';
import { FilterView } from './filter-view';
import { TraceStore } from './store';
import { tinyLab } from './test-lab';

describe('FilterView', () => {
  it('a lab.drop_reason filter goes stale when a frame it has read is dropped later, and a fresh view finds it', () => {
    const store = TraceStore.open(':memory:');
    for (const f of tinyLab().frames) store.frame(f);
    const view = FilterView.create('lab.drop_reason == "IP_CSUM"') as FilterView;
    view.advance(store);
    expect([view.matches, view.isStale(store)]).toEqual([[], false]);
    store.kernel({ at: 2e9, machine: 'h2', type: 'drop', reason: 'IP_CSUM', frameId: 3, text: 'bad checksum' });
    expect(view.isStale(store)).toBe(true);
    const fresh = FilterView.create('lab.drop_reason == "IP_CSUM"') as FilterView;
    fresh.advance(store);
    expect(fresh.matches).toEqual([9]);
    // Other filters do not depend on drops and never go stale.
    const icmp = FilterView.create('icmp') as FilterView;
    icmp.advance(store);
    store.kernel({ at: 3e9, machine: 'h1', type: 'drop', reason: 'NO_SOCKET', frameId: 4, text: 'x' });
    expect(icmp.isStale(store)).toBe(false);
    store.close();
  });

  it('goes stale only for a filter that names lab.drop_reason, not one whose text merely holds it', () => {
    const store = TraceStore.open(':memory:');
    for (const f of tinyLab().frames) store.frame(f);
    const views = ['lab.machine == "lab.drop_reason"', 'icmp or not lab.drop_reason contains "CSUM"'].map((t) => (FilterView.create(t) as FilterView).advanceTo(store));
    store.kernel({ at: 2e9, machine: 'h2', type: 'drop', reason: 'IP_CSUM', frameId: 3, text: 'bad checksum' });
    expect(views.map((v) => v.isStale(store))).toEqual([false, true]);
    store.close();
  });

  it('reads the columns of the capture that is there now: a filter after reset() does not answer from the old one', () => {
    const store = TraceStore.open(':memory:');
    const frames = tinyLab().frames;
    for (const f of frames) store.frame(f);
    const icmp = (FilterView.create('icmp') as FilterView).advanceTo(store).matches;
    expect(icmp.length).toBeGreaterThan(0);
    // The same frames again without the ICMP ones: a capture numbered from 1 again, its chunks at the same places.
    store.reset();
    for (const f of frames.filter((f) => f.bytes[23] !== 1)) store.frame(f);
    expect([(FilterView.create('icmp') as FilterView).advanceTo(store).matches, (FilterView.create('arp') as FilterView).advanceTo(store).matches.length]).toEqual([[], store.countFrames()]);
    store.close();
  });
});
