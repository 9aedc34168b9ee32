import { describe, expect, it } from 'vitest';
import type { FlowGraph } from '../../shared/api';
import { FLOW, flowSvg } from './flow-svg';

const graph: FlowGraph = {
  nodes: ['10.0.0.1', '10.0.0.2'],
  total: 3,
  items: [
    { no: 5, timeNs: 1_000_000_000, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 80, label: 'SYN', comment: 'Seq = 0', protocol: 'TCP', stream: 0, flags: 0x02 },
    { no: 6, timeNs: 1_000_500_000, src: '10.0.0.2', dst: '10.0.0.1', srcPort: 80, dstPort: 40000, label: 'SYN, ACK', comment: 'Seq = 0 Ack = 1', protocol: 'TCP', stream: 0, flags: 0x12 },
    { no: 9, timeNs: 2_000_000_000, src: '10.0.0.2', dst: '10.0.0.1', label: 'Echo (ping) reply <&>', comment: 'ICMP: Echo', protocol: 'ICMP' },
  ],
};

// No DOM in unit tests: rows are read with patterns here; the e2e test parses the exported file.
const rows = (svg: string) => [...svg.matchAll(/<g class="flow-row" data-no="(\d+)"[^>]*>(.*?)<\/g>/g)].map((m) => ({ no: Number(m[1]), body: m[2]! }));
const colX = (i: number) => FLOW.timeWidth + FLOW.colWidth * i + FLOW.colWidth / 2;

describe('flow graph SVG', () => {
  const { svg, width, height } = flowSvg(graph, 6);

  it('is a standalone SVG sized for its nodes and rows, with every text escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect([width, height]).toEqual([FLOW.timeWidth + 2 * FLOW.colWidth + FLOW.commentWidth, FLOW.headHeight + 3 * FLOW.rowHeight + FLOW.pad]);
    expect(svg).toContain('Echo (ping) reply &lt;&amp;&gt;');
    expect(svg.match(/<g /g)).toHaveLength(3);
  });

  it('draws one row per frame, arrows pointing from sender to receiver, the handshake in green, the selected row marked', () => {
    const r = rows(svg);
    expect(r.map((x) => x.no)).toEqual([5, 6, 9]);
    const tip = (body: string) => Number(/<path d="M(\d+(?:\.\d+)?) /.exec(body)![1]);
    expect([tip(r[0]!.body), tip(r[1]!.body), tip(r[2]!.body)]).toEqual([colX(1), colX(0), colX(0)]);
    expect(r[0]!.body).toMatch(/<line [^>]*stroke="#2e7d32"/);
    expect(r[1]!.body).toMatch(/<rect [^>]*fill="#dbeafe"/);
    expect(r[0]!.body).toContain('>1.000000<');
    expect(r[0]!.body).toContain('>40000<');
    expect(r[2]!.body).not.toContain('40000'); // no ports for ICMP
  });
});
