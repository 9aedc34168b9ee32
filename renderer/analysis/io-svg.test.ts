import { describe, expect, it } from 'vitest';
import { ioSvg, niceStep } from './io-svg';

describe('I/O graph SVG', () => {
  it('picks round axis steps', () => {
    expect([niceStep(7), niceStep(23), niceStep(480), niceStep(0)]).toEqual([2, 5, 100, 1]);
  });

  it('draws every interval of all frames as a line and the filter`s as bars, escaped and labelled', () => {
    const g = { startNs: 0, intervalNs: 1e9, all: { frames: [4, 10, 0], bytes: [400, 1000, 0] }, selected: { frames: [1, 0, 0], bytes: [60, 0, 0] } };
    const { svg } = ioSvg(g, 'frames', 'tcp.len > 0 && "<x>"');
    const points = /<polyline class="io-all" points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(points).toHaveLength(3);
    expect(svg.match(/class="io-sel"/g)).toHaveLength(1);
    expect(svg).toContain('Frames per 1 s');
    expect(svg).toContain('&lt;x&gt;');
    expect(ioSvg(g, 'bytes').svg).toContain('Bytes per 1 s');
  });
});
