import { describe, expect, it } from 'vitest';
import { formatLabError, parseLab, serializeLab, type LabDoc } from './index';
import { suggest } from './messages';

describe('serializeLab', () => {
  it('writes a fixed key order at every level, 2-space indent and a trailing newline', () => {
    // Keys deliberately in reverse order.
    const doc = {
      script: [{ input: ['y'], run: 'ssh b', on: 'a', at: '1s' }],
      links: [{ mtu: 1400, loss: 0.5, bandwidth: '1Mbps', latency: '1ms', b: 'b:eth0', a: 'a:eth0' }],
      machines: [
        { position: { y: 2, x: 1 }, ports: undefined, gateway: '10.0.0.9', nics: [{ mac: '02:00:00:00:00:0a', ip: '10.0.0.1/24', name: 'eth0' }], kind: 'host', id: 'a' },
        { kind: 'host', id: 'b', nics: [{ name: 'eth0', ip: '10.0.0.2/24' }] },
      ],
      seed: 3,
      description: 'd',
      name: 'n',
      format: 'packet-lab/1',
    } as LabDoc;
    expect(serializeLab(doc)).toBe(`{
  "format": "packet-lab/1",
  "name": "n",
  "description": "d",
  "seed": 3,
  "machines": [
    {
      "id": "a",
      "kind": "host",
      "nics": [
        {
          "name": "eth0",
          "ip": "10.0.0.1/24",
          "mac": "02:00:00:00:00:0a"
        }
      ],
      "gateway": "10.0.0.9",
      "position": {
        "x": 1,
        "y": 2
      }
    },
    {
      "id": "b",
      "kind": "host",
      "nics": [
        {
          "name": "eth0",
          "ip": "10.0.0.2/24"
        }
      ]
    }
  ],
  "links": [
    {
      "a": "a:eth0",
      "b": "b:eth0",
      "latency": "1ms",
      "bandwidth": "1Mbps",
      "loss": 0.5,
      "mtu": 1400
    }
  ],
  "script": [
    {
      "at": "1s",
      "on": "a",
      "run": "ssh b",
      "input": [
        "y"
      ]
    }
  ]
}
`);
    const r = parseLab(serializeLab(doc));
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    expect(r.doc).toEqual(doc);
  });

  it('drops fields that are not part of the format', () => {
    const doc = { format: 'packet-lab/1', name: 'n', machines: [], links: [], extra: 1 } as LabDoc;
    expect(serializeLab(doc)).toBe('{\n  "format": "packet-lab/1",\n  "name": "n",\n  "machines": [],\n  "links": []\n}\n');
  });

  it('keeps an empty script and empty NIC list', () => {
    const doc: LabDoc = { format: 'packet-lab/1', name: 'n', machines: [{ id: 'a', kind: 'host', nics: [] }], links: [], script: [] };
    const r = parseLab(serializeLab(doc));
    expect(r.ok && r.doc).toEqual(doc);
  });
});

describe('did-you-mean', () => {
  it.each([
    ['nic', 'nics'],
    ['nmae', 'name'],
    ['Latency', 'latency'],
    ['bandwith', 'bandwidth'],
    ['ipv4', 'ip'],
    ['macc', 'mac'],
    ['z', null],
    ['colour', null],
    ['when', null],
  ])('%s -> %s', (typo, want) => {
    expect(suggest(typo, ['name', 'nics', 'latency', 'bandwidth', 'ip', 'mac', 'x', 'at', 'on', 'run', 'input'])).toBe(want);
  });
});
