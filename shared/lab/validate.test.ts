import { describe, expect, it } from 'vitest';
import { formatLabError, parseLab, validateLab, type LabDoc } from './index';

/** A small valid lab: two hosts and a router on a switch. Tests change one thing each. */
function base(): LabDoc {
  return {
    format: 'packet-lab/1',
    name: 'base',
    machines: [
      { id: 'client', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.0.1/24' }], gateway: '10.0.0.254' },
      { id: 'server', kind: 'server', nics: [{ name: 'eth0', ip: '10.0.0.2/24' }] },
      { id: 'r1', kind: 'router', nics: [{ name: 'eth0', ip: '10.0.0.254/24' }, { name: 'eth1', ip: '10.0.1.254/24' }] },
      { id: 'sw1', kind: 'switch' },
    ],
    links: [
      { a: 'client:eth0', b: 'sw1:p1' },
      { a: 'server:eth0', b: 'sw1:p2' },
      { a: 'r1:eth0', b: 'sw1:p3' },
    ],
    script: [{ at: '1s', on: 'client', run: 'ping -c 1 10.0.0.2' }],
  };
}

/** The document as plain data: the tests break its types on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** The base lab, changed by `edit`. */
function changed(edit: (d: Loose) => void): unknown {
  const d = structuredClone(base()) as Loose;
  edit(d);
  return d;
}

function errors(doc: unknown): string[] {
  const r = validateLab(doc);
  return r.ok ? [] : r.errors.map(formatLabError);
}

describe('the base lab', () => {
  it('is valid', () => {
    expect(errors(base())).toEqual([]);
  });
});

describe('document and format', () => {
  it.each([
    [42, '42 is not a lab document (a JSON object with "format": "packet-lab/1")'],
    [null, 'null is not a lab document (a JSON object with "format": "packet-lab/1")'],
    [undefined, 'nothing is not a lab document (a JSON object with "format": "packet-lab/1")'],
    [[], 'a list is not a lab document (a JSON object with "format": "packet-lab/1")'],
    ['lab', '"lab" is not a lab document (a JSON object with "format": "packet-lab/1")'],
  ])('%j', (doc, message) => {
    expect(errors(doc)).toEqual([message]);
  });

  it('a missing format is the only problem reported', () => {
    expect(errors({ name: 5, machines: 'x' })).toEqual(['format: missing (a lab file has "format": "packet-lab/1")']);
  });

  it('another format is the only problem reported', () => {
    expect(errors({ format: 'packet-lab/2', whatever: true })).toEqual(['format: "packet-lab/2" is not a supported format (expected "packet-lab/1")']);
    expect(errors({ format: 1 })).toEqual(['format: 1 is not a supported format (expected "packet-lab/1")']);
  });
});

describe('unknown fields (strict schema)', () => {
  it.each([
    [(d: Loose) => { d.machines[0]!.nic = d.machines[0]!.nics; delete d.machines[0]!.nics; }, 'machines[0].nic: unknown field (did you mean "nics"?)'],
    [(d: Loose) => { d.nmae = d.name; delete d.name; }, 'name: missing lab name (a non-empty string, like "two hosts")', 'nmae: unknown field (did you mean "name"?)'],
    [(d: Loose) => { d.links[0]!.Latency = '1ms'; }, 'links[0].Latency: unknown field (did you mean "latency"?)'],
    [(d: Loose) => { d.links[0]!.bandwith = '1Mbps'; }, 'links[0].bandwith: unknown field (did you mean "bandwidth"?)'],
    [(d: Loose) => { d.colour = 'red'; }, 'colour: unknown field (known fields: format, name, description, seed, machines, links, script)'],
    [(d: Loose) => { d.script[0]!.when = '1s'; }, 'script[0].when: unknown field (known fields: at, on, run, input)'],
    [(d: Loose) => { d.machines[0]!.position = { x: 1, y: 2, z: 3 }; }, 'machines[0].position.z: unknown field (known fields: x, y)'],
    [(d: Loose) => { d['my key'] = 1; }, '["my key"]: unknown field (known fields: format, name, description, seed, machines, links, script)'],
  ])('%#', (edit, ...expected) => {
    expect(errors(changed(edit))).toEqual(expected);
  });

  it('reports each unknown key of an object separately, in document order with the rest', () => {
    const doc = changed((d) => {
      d.machines[1]!.nics[0]!.ipv4 = '10.0.0.2/24';
      d.machines[1]!.nics[0]!.macc = 'x';
      d.machines[0]!.id = '0client';
    });
    expect(errors(doc)).toEqual([
      'machines[0].id: "0client" is not a machine id (1..32 letters, digits, "-" or "_", starting with a letter)',
      'machines[1].nics[0].ipv4: unknown field (did you mean "ip"?)',
      'machines[1].nics[0].macc: unknown field (did you mean "mac"?)',
    ]);
  });
});

type Case = [string, (d: Loose) => void, string[]];

const FIELD_CASES: Case[] = [
  ['name missing', (d) => { delete d.name; }, ['name: missing lab name (a non-empty string, like "two hosts")']],
  ['name empty', (d) => { d.name = ' '; }, ['name: " " is not a lab name (a non-empty string, like "two hosts")']],
  ['name not a string', (d) => { d.name = ['x']; }, ['name: a list is not a lab name (a non-empty string, like "two hosts")']],
  ['description not a string', (d) => { d.description = 5; }, ['description: 5 is not a description (a string)']],
  ['seed negative', (d) => { d.seed = -1; }, ['seed: -1 is not a seed (an integer 0..4294967295)']],
  ['seed fractional', (d) => { d.seed = 1.5; }, ['seed: 1.5 is not a seed (an integer 0..4294967295)']],
  ['seed too big', (d) => { d.seed = 2 ** 32; }, ['seed: 4294967296 is not a seed (an integer 0..4294967295)']],
  ['seed NaN', (d) => { d.seed = NaN; }, ['seed: NaN is not a seed (an integer 0..4294967295)']],
  ['seed string', (d) => { d.seed = '7'; }, ['seed: "7" is not a seed (an integer 0..4294967295)']],
  ['machines missing', (d) => { delete d.machines; }, ['machines: missing list of machines (use [] for none)']],
  ['machines an object', (d) => { d.machines = {}; }, ['machines: an object is not a list of machines (use [] for none)']],
  ['machine not an object', (d) => { d.machines[1] = 5; }, ['machines[1]: 5 is not a machine (an object with "id" and "kind")']],
  ['machine id missing', (d) => { delete d.machines[1]!.id; }, ['machines[1].id: missing machine id (1..32 letters, digits, "-" or "_", starting with a letter)']],
  ['machine id starts with a digit', (d) => { d.machines[1]!.id = '1st'; }, ['machines[1].id: "1st" is not a machine id (1..32 letters, digits, "-" or "_", starting with a letter)']],
  ['machine id with a colon', (d) => { d.machines[1]!.id = 'a:b'; }, ['machines[1].id: "a:b" is not a machine id (1..32 letters, digits, "-" or "_", starting with a letter)']],
  ['machine id empty', (d) => { d.machines[1]!.id = ''; }, ['machines[1].id: "" is not a machine id (1..32 letters, digits, "-" or "_", starting with a letter)']],
  ['machine id 33 chars', (d) => { d.machines[1]!.id = `s${'x'.repeat(32)}`; }, ['machines[1].id: "sxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" is not a machine id (1..32 letters, digits, "-" or "_", starting with a letter)']],
  ['a long value is cut in the message', (d) => { d.machines[1]!.id = `s${'x'.repeat(99)}`; }, [`machines[1].id: "s${'x'.repeat(39)}…" is not a machine id (1..32 letters, digits, "-" or "_", starting with a letter)`]],
  ['kind unknown', (d) => { d.machines[1]!.kind = 'laptop'; }, ['machines[1].kind: "laptop" is not a machine kind ("host", "server", "router", "switch", "hub")']],
  ['kind missing', (d) => { delete d.machines[1]!.kind; }, ['machines[1].kind: missing machine kind ("host", "server", "router", "switch", "hub")']],
  ['nics not a list', (d) => { d.machines[1]!.nics = 'eth0'; }, ['machines[1].nics: "eth0" is not a list of NICs']],
  ['nic not an object', (d) => { d.machines[1]!.nics[0] = null; }, ['machines[1].nics[0]: null is not a NIC (an object with "name")']],
  ['nic name missing', (d) => { delete d.machines[1]!.nics[0]!.name; }, ['machines[1].nics[0].name: missing NIC name (1..15 letters, digits, "-" or "_", starting with a letter, like "eth0")']],
  ['nic name 16 chars', (d) => { d.machines[1]!.nics[0]!.name = 'e234567890123456'; }, ['machines[1].nics[0].name: "e234567890123456" is not a NIC name (1..15 letters, digits, "-" or "_", starting with a letter, like "eth0")']],
  ['nic named lo', (d) => { d.machines[1]!.nics[0]!.name = 'lo'; }, ['machines[1].nics[0].name: "lo" is the loopback interface; give the NIC another name, like "eth0"']],
  ['65 NICs', (d) => { d.machines[1]!.nics = Array.from({ length: 65 }, (_, j) => ({ name: `eth${j}` })); }, ['machines[1].nics: 65 NICs are too many (at most 64)']],
  ['ip out of range', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.300/24'; }, ['machines[1].nics[0].ip: "10.0.0.300/24" is not an IPv4 address with prefix (like "10.0.0.1/24")']],
  ['ip without prefix', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.2'; }, ['machines[1].nics[0].ip: "10.0.0.2" is not an IPv4 address with prefix (like "10.0.0.1/24")']],
  ['ip prefix 33', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.2/33'; }, ['machines[1].nics[0].ip: "10.0.0.2/33" is not an IPv4 address with prefix (like "10.0.0.1/24")']],
  ['ip is the network address', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.0/24'; }, ['machines[1].nics[0].ip: "10.0.0.0/24" is the network address of 10.0.0.0/24, not a host address']],
  ['ip is the broadcast address', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.255/24'; }, ['machines[1].nics[0].ip: "10.0.0.255/24" is the broadcast address of 10.0.0.0/24, not a host address']],
  ['ip loopback', (d) => { d.machines[1]!.nics[0]!.ip = '127.0.0.2/8'; }, ['machines[1].nics[0].ip: "127.0.0.2/8" is not a host address (0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and above are not host addresses)']],
  ['ip multicast', (d) => { d.machines[1]!.nics[0]!.ip = '224.0.0.1/4'; }, ['machines[1].nics[0].ip: "224.0.0.1/4" is not a host address (0.0.0.0/8, 127.0.0.0/8 and 224.0.0.0 and above are not host addresses)']],
  ['mac malformed', (d) => { d.machines[1]!.nics[0]!.mac = '02:00:00:00:01'; }, ['machines[1].nics[0].mac: "02:00:00:00:01" is not a MAC address (like "02:00:00:00:01:01")']],
  ['mac multicast', (d) => { d.machines[1]!.nics[0]!.mac = '01:00:5e:00:00:01'; }, ['machines[1].nics[0].mac: "01:00:5e:00:00:01" is a multicast MAC address; a NIC needs a unicast one']],
  ['mac broadcast', (d) => { d.machines[1]!.nics[0]!.mac = 'ff:ff:ff:ff:ff:ff'; }, ['machines[1].nics[0].mac: "ff:ff:ff:ff:ff:ff" is a multicast MAC address; a NIC needs a unicast one']],
  ['mac zero', (d) => { d.machines[1]!.nics[0]!.mac = '00:00:00:00:00:00'; }, ['machines[1].nics[0].mac: "00:00:00:00:00:00" is not a usable MAC address (all zeros)']],
  ['gateway malformed', (d) => { d.machines[0]!.gateway = '10.0.0.300'; }, ['machines[0].gateway: "10.0.0.300" is not an IPv4 address (like "10.0.0.254")']],
  ['gateway with prefix', (d) => { d.machines[0]!.gateway = '10.0.0.254/24'; }, ['machines[0].gateway: "10.0.0.254/24" is not an IPv4 address (like "10.0.0.254")']],
  ['ports zero', (d) => { d.machines[3]!.ports = 0; }, ['machines[3].ports: 0 is not a port count (an integer 1..64)']],
  ['ports 65', (d) => { d.machines[3]!.ports = 65; }, ['machines[3].ports: 65 is not a port count (an integer 1..64)']],
  ['ports fractional', (d) => { d.machines[3]!.ports = 4.5; }, ['machines[3].ports: 4.5 is not a port count (an integer 1..64)']],
  ['position not an object', (d) => { d.machines[0]!.position = [1, 2]; }, ['machines[0].position: a list is not a position ({ "x": number, "y": number })']],
  ['position coordinate a string', (d) => { d.machines[0]!.position = { x: '1', y: 2 }; }, ['machines[0].position.x: "1" is not a coordinate (a number)']],
  ['position coordinate missing', (d) => { d.machines[0]!.position = { x: 1 }; }, ['machines[0].position.y: missing coordinate (a number)']],
  ['position coordinate infinite', (d) => { d.machines[0]!.position = { x: 1, y: Infinity }; }, ['machines[0].position.y: Infinity is not a coordinate (a number)']],
  ['links missing', (d) => { delete d.links; }, ['links: missing list of links (use [] for none)']],
  ['link not an object', (d) => { d.links[0] = 'client:eth0'; }, ['links[0]: "client:eth0" is not a link (an object with "a" and "b")']],
  ['link end without colon', (d) => { d.links[0]!.a = 'client-eth0'; }, ['links[0].a: "client-eth0" is not a link end ("machine:nic", like "client:eth0")']],
  ['link end with two colons', (d) => { d.links[0]!.a = 'client:eth0:1'; }, ['links[0].a: "client:eth0:1" is not a link end ("machine:nic", like "client:eth0")']],
  ['link end empty nic', (d) => { d.links[0]!.b = 'sw1:'; }, ['links[0].b: "sw1:" is not a link end ("machine:nic", like "client:eth0")']],
  ['link end missing', (d) => { delete d.links[0]!.b; }, ['links[0].b: missing link end ("machine:nic", like "client:eth0")']],
  ['latency garbage', (d) => { d.links[0]!.latency = '5 parsecs'; }, ['links[0].latency: "5 parsecs" is not a duration (like "500us", "20ms", "1.5s")']],
  ['latency negative', (d) => { d.links[0]!.latency = '-1ms'; }, ['links[0].latency: "-1ms" is not a duration (like "500us", "20ms", "1.5s")']],
  ['latency a number', (d) => { d.links[0]!.latency = 5; }, ['links[0].latency: 5 is not a duration (like "500us", "20ms", "1.5s")']],
  ['bandwidth garbage', (d) => { d.links[0]!.bandwidth = 'fast'; }, ['links[0].bandwidth: "fast" is not a rate (like "10Mbps", "1Gbps")']],
  ['bandwidth zero', (d) => { d.links[0]!.bandwidth = '0bps'; }, ['links[0].bandwidth: "0bps" is not a rate (like "10Mbps", "1Gbps")']],
  ['loss above 1', (d) => { d.links[0]!.loss = 1.5; }, ['links[0].loss: 1.5 is not a loss probability (a number 0..1)']],
  ['loss negative', (d) => { d.links[0]!.loss = -0.1; }, ['links[0].loss: -0.1 is not a loss probability (a number 0..1)']],
  ['loss a string', (d) => { d.links[0]!.loss = '10%'; }, ['links[0].loss: "10%" is not a loss probability (a number 0..1)']],
  ['mtu below 68', (d) => { d.links[0]!.mtu = 67; }, ['links[0].mtu: 67 is not an MTU (an integer 68..9000)']],
  ['mtu above 9000', (d) => { d.links[0]!.mtu = 9001; }, ['links[0].mtu: 9001 is not an MTU (an integer 68..9000)']],
  ['mtu fractional', (d) => { d.links[0]!.mtu = 1500.5; }, ['links[0].mtu: 1500.5 is not an MTU (an integer 68..9000)']],
  ['up not a boolean', (d) => { (d.links[0] as Record<string, unknown>).up = 'no'; }, ['links[0].up: "no" is not a link state (true (up, the default) or false (down: both ends lose carrier))']],
  ['script not a list', (d) => { d.script = {}; }, ['script: an object is not a list of script entries']],
  ['script entry not an object', (d) => { d.script[0] = 'ping'; }, ['script[0]: "ping" is not a script entry (an object with "at", "on" and "run")']],
  ['script at garbage', (d) => { d.script[0]!.at = 'soon'; }, ['script[0].at: "soon" is not a duration (like "500us", "20ms", "1.5s")']],
  ['script at missing', (d) => { delete d.script[0]!.at; }, ['script[0].at: missing duration (like "500us", "20ms", "1.5s")']],
  ['script on not a string', (d) => { d.script[0]!.on = 1; }, ['script[0].on: 1 is not a machine id (the host, server or router that runs the command)']],
  ['script run empty', (d) => { d.script[0]!.run = ''; }, ['script[0].run: "" is not a command line (like "ping -c 3 10.0.0.2")']],
  ['script input not a list', (d) => { d.script[0]!.input = 'yes'; }, ['script[0].input: "yes" is not a list of input lines']],
  ['script input line with a line break', (d) => { d.script[0]!.input = ['ok', 'a\nb']; }, ['script[0].input[1]: "a\\nb" is not a line of input (a string without line breaks)']],
  ['script input line not a string', (d) => { d.script[0]!.input = [5]; }, ['script[0].input[0]: 5 is not a line of input (a string without line breaks)']],
];

describe('field rules (schema)', () => {
  it.each(FIELD_CASES)('%s', (_, edit, expected) => {
    expect(errors(changed(edit))).toEqual(expected);
  });

  it.each([
    ['machine id of 32 chars', (d: Loose) => { d.machines[3]!.id = `s${'w'.repeat(31)}`; d.links = []; }],
    ['ip /31 and /32 (no network or broadcast address)', (d: Loose) => { d.machines[2]!.nics = [{ name: 'eth0', ip: '10.9.0.0/31' }, { name: 'eth1', ip: '10.8.0.1/32' }]; d.links.pop(); }],
    ['mac with dashes and capitals', (d: Loose) => { d.machines[1]!.nics[0]!.mac = '02-AA-BB-CC-DD-EE'; }],
    ['loss 0 and 1', (d: Loose) => { d.links[0]!.loss = 0; d.links[1]!.loss = 1; }],
    ['mtu 68 and 9000', (d: Loose) => { d.links[0]!.mtu = 68; d.links[1]!.mtu = 9000; }],
    ['ports 1 and 64', (d: Loose) => { d.machines[3]!.ports = 64; d.machines.push({ id: 'hub1', kind: 'hub', ports: 1 }); }],
    ['a machine with no NICs', (d: Loose) => { d.machines.push({ id: 'lonely', kind: 'host' }); }],
    ['empty machines and links', (d: Loose) => { d.machines = []; d.links = []; d.script = []; }],
    ['seed 0 and 2^32 - 1', (d: Loose) => { d.seed = 0xffff_ffff; }],
    ['a NIC named like a port', (d: Loose) => { d.machines[1]!.nics[0]!.name = 'p1'; d.links[1]!.a = 'server:p1'; }],
  ])('accepts %s', (_, edit) => {
    expect(errors(changed(edit as (d: Loose) => void))).toEqual([]);
  });

  it('reports all field problems at once, in document order', () => {
    const doc = changed((d) => {
      d.script[0]!.at = 'later';
      d.links[2]!.mtu = 1;
      d.machines[2]!.nics[1]!.ip = 'x';
      d.name = '';
      d.machines[0]!.kind = 'pc';
    });
    expect(errors(doc)).toEqual([
      'name: "" is not a lab name (a non-empty string, like "two hosts")',
      'machines[0].kind: "pc" is not a machine kind ("host", "server", "router", "switch", "hub")',
      'machines[2].nics[1].ip: "x" is not an IPv4 address with prefix (like "10.0.0.1/24")',
      'links[2].mtu: 1 is not an MTU (an integer 68..9000)',
      'script[0].at: "later" is not a duration (like "500us", "20ms", "1.5s")',
    ]);
  });
});

const CROSS_CASES: Case[] = [
  ['duplicate machine id', (d) => { d.machines.push({ id: 'client', kind: 'host' }); }, ['machines[4].id: duplicate machine id "client" (also machines[0])']],
  ['duplicate NIC name in a machine', (d) => { d.machines[2]!.nics[1]!.name = 'eth0'; }, ['machines[2].nics[1].name: duplicate NIC name "eth0" (also machines[2].nics[0])']],
  ['the same NIC name on two machines is fine', () => {}, []],
  ['link to an unknown machine', (d) => { d.links[1]!.a = 'srv:eth0'; }, ['links[1].a: no machine "srv"']],
  ['link to an unknown NIC', (d) => { d.links[1]!.a = 'server:eth1'; }, ['links[1].a: machine "server" has no NIC "eth1"']],
  ['link to a switch NIC name', (d) => { d.links[1]!.b = 'sw1:eth0'; }, ['links[1].b: switch "sw1" has no port "eth0" (ports are p1..p64)']],
  ['link to port p65', (d) => { d.links[1]!.b = 'sw1:p65'; }, ['links[1].b: switch "sw1" has no port "p65" (ports are p1..p64)']],
  ['link to port p0', (d) => { d.links[1]!.b = 'sw1:p0'; }, ['links[1].b: switch "sw1" has no port "p0" (ports are p1..p64)']],
  ['link to port p01', (d) => { d.links[1]!.b = 'sw1:p01'; }, ['links[1].b: switch "sw1" has no port "p01" (ports are p1..p64)']],
  ['link to a hub port', (d) => { d.machines.push({ id: 'hub1', kind: 'hub' }); d.links.push({ a: 'r1:eth1', b: 'hub1:x' }); }, ['links[3].b: hub "hub1" has no port "x" (ports are p1..p64)']],
  ['a NIC used by two links', (d) => { d.links.push({ a: 'client:eth0', b: 'sw1:p4' }); }, ['links[3].a: "client:eth0" is already connected by links[0]']],
  ['a switch port used by two links', (d) => { d.links[1]!.b = 'sw1:p1'; }, ['links[1].b: "sw1:p1" is already connected by links[0]']],
  ['a link from a machine to itself', (d) => { d.links.push({ a: 'r1:eth1', b: 'r1:eth0' }); }, ['links[3]: both ends are on machine "r1" (a link joins two different machines)']],
  ['a link from a NIC to itself', (d) => { d.links.push({ a: 'r1:eth1', b: 'r1:eth1' }); }, ['links[3]: both ends are on machine "r1" (a link joins two different machines)']],
  ['duplicate IP on two machines', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.1/24'; }, ['machines[1].nics[0].ip: duplicate IP address 10.0.0.1 (also machines[0].nics[0])']],
  ['duplicate IP with another prefix', (d) => { d.machines[1]!.nics[0]!.ip = '10.0.0.1/16'; }, ['machines[1].nics[0].ip: duplicate IP address 10.0.0.1 (also machines[0].nics[0])']],
  ['duplicate written MAC', (d) => { d.machines[0]!.nics[0]!.mac = '02:aa:00:00:00:01'; d.machines[1]!.nics[0]!.mac = '02-AA-00-00-00-01'; }, ['machines[1].nics[0].mac: duplicate MAC address 02:aa:00:00:00:01 (also machines[0].nics[0])']],
  ['a written MAC equal to a derived NIC MAC', (d) => { d.machines[1]!.nics[0]!.mac = '02:00:00:00:01:01'; }, ['machines[1].nics[0].mac: duplicate MAC address 02:00:00:00:01:01 (also the derived MAC of machines[0].nics[0])']],
  ['a written MAC equal to a later derived MAC', (d) => { d.machines[0]!.nics[0]!.mac = '02:00:00:00:03:02'; }, ['machines[0].nics[0].mac: duplicate MAC address 02:00:00:00:03:02 (also the derived MAC of machines[2].nics[1])']],
  ['a written MAC equal to a derived switch port MAC', (d) => { d.machines[0]!.nics[0]!.mac = '02:00:00:00:04:08'; }, ['machines[0].nics[0].mac: duplicate MAC address 02:00:00:00:04:08 (also the derived MAC of sw1:p8)']],
  ['port MACs grow with the ports a link names', (d) => { d.machines[0]!.nics[0]!.mac = '02:00:00:00:04:0c'; d.links[1]!.b = 'sw1:p12'; }, ['machines[0].nics[0].mac: duplicate MAC address 02:00:00:00:04:0c (also the derived MAC of sw1:p12)']],
  ['a MAC just past the port count is free', (d) => { d.machines[0]!.nics[0]!.mac = '02:00:00:00:04:09'; }, []],
  ['gateway outside every subnet', (d) => { d.machines[0]!.gateway = '10.0.1.1'; }, ["machines[0].gateway: 10.0.1.1 is not inside any NIC's subnet (10.0.0.0/24)"]],
  ['gateway on a machine without addresses', (d) => { d.machines[0]!.nics = []; d.links.shift(); }, ["machines[0].gateway: 10.0.0.254 is not inside any NIC's subnet (machine \"client\" has no IP address)"]],
  ['gateway is its own address', (d) => { d.machines[0]!.gateway = '10.0.0.1'; }, ["machines[0].gateway: 10.0.0.1 is this machine's own address (machines[0].nics[0])"]],
  ['gateway is the subnet broadcast', (d) => { d.machines[0]!.gateway = '10.0.0.255'; }, ['machines[0].gateway: 10.0.0.255 is the broadcast address of 10.0.0.0/24, not a host']],
  ['gateway is the network address', (d) => { d.machines[0]!.gateway = '10.0.0.0'; }, ['machines[0].gateway: 10.0.0.0 is the network address of 10.0.0.0/24, not a host']],
  ['gateway on a router with two subnets', (d) => { d.machines[2]!.gateway = '10.0.1.1'; }, []],
  ['gateway outside a router\'s subnets', (d) => { d.machines[2]!.gateway = '10.0.2.1'; }, ["machines[2].gateway: 10.0.2.1 is not inside any NIC's subnet (10.0.0.0/24, 10.0.1.0/24)"]],
  ['two NICs of one machine in one subnet', (d) => { d.machines[2]!.nics[1]!.ip = '10.0.0.5/24'; }, ['machines[2].nics[1].ip: 10.0.0.5/24 is in the same subnet as machines[2].nics[0] (10.0.0.254/24)']],
  ['two NICs of one machine on overlapping subnets', (d) => { d.machines[2]!.nics[1]!.ip = '10.0.9.1/16'; }, ['machines[2].nics[1].ip: 10.0.9.1/16 is in the same subnet as machines[2].nics[0] (10.0.0.254/24)']],
  ['script on an unknown machine', (d) => { d.script[0]!.on = 'srv'; }, ['script[0].on: no machine "srv"']],
  ['script on a switch', (d) => { d.script[0]!.on = 'sw1'; }, ['script[0].on: "sw1" is a switch, which has no shell (scripts run on a host, server or router)']],
  ['script on a hub', (d) => { d.machines.push({ id: 'hub1', kind: 'hub' }); d.script[0]!.on = 'hub1'; }, ['script[0].on: "hub1" is a hub, which has no shell (scripts run on a host, server or router)']],
  ['script on a router', (d) => { d.script[0]!.on = 'r1'; }, []],
  ['a switch with NICs', (d) => { d.machines[3]!.nics = []; }, ['machines[3].nics: a switch has no NICs; its ports are p1..pN (set "ports" for N)']],
  ['a hub with a gateway', (d) => { d.machines[3]!.kind = 'hub'; d.machines[3]!.gateway = '10.0.0.254'; }, ['machines[3].gateway: a hub has no gateway']],
  ['a host with ports', (d) => { d.machines[0]!.ports = 4; }, ['machines[0].ports: only a switch or hub has ports (a host has "nics")']],
];

describe('rules across fields', () => {
  it.each(CROSS_CASES)('%s', (_, edit, expected) => {
    expect(errors(changed(edit))).toEqual(expected);
  });

  it('reports every problem found, in document order', () => {
    const doc = changed((d) => {
      d.script.push({ at: '2s', on: 'sw1', run: 'ls' });
      d.links.push({ a: 'client:eth0', b: 'ghost:eth0' }, { a: 'server:eth0', b: 'server:eth0' });
      d.machines[1]!.nics[0]!.ip = '10.0.0.1/24';
      d.machines.push({ id: 'server', kind: 'hub', gateway: '10.0.0.254' });
    });
    expect(errors(doc)).toEqual([
      'machines[1].nics[0].ip: duplicate IP address 10.0.0.1 (also machines[0].nics[0])',
      'machines[4].id: duplicate machine id "server" (also machines[1])',
      'machines[4].gateway: a hub has no gateway',
      'links[3].a: "client:eth0" is already connected by links[0]',
      'links[3].b: no machine "ghost"',
      'links[4]: both ends are on machine "server" (a link joins two different machines)',
      'script[1].on: "sw1" is a switch, which has no shell (scripts run on a host, server or router)',
    ]);
  });

  it('checks relations only once every field is well-formed', () => {
    const doc = changed((d) => {
      d.machines.push({ id: 'client', kind: 'host' });
      d.links[0]!.latency = 'slow';
    });
    expect(errors(doc)).toEqual(['links[0].latency: "slow" is not a duration (like "500us", "20ms", "1.5s")']);
  });
});

describe('validateLab leaves its input alone', () => {
  it('does not change the input and returns a copy', () => {
    const input = base();
    const before = structuredClone(input);
    const r = validateLab(input);
    expect(input).toEqual(before);
    expect(r.ok && r.doc).toEqual(before);
    expect(r.ok && r.doc !== input && r.doc.machines[0] !== input.machines[0]).toBe(true);
  });

  it('adds no defaults to the document (they go to the resolved lab)', () => {
    const r = validateLab(base());
    expect(r.ok && r.doc.links[0]).toEqual({ a: 'client:eth0', b: 'sw1:p1' });
    expect(r.ok && r.doc.seed).toBeUndefined();
  });
});

describe('sysctl settings', () => {
  const lab = (sysctl: Record<string, unknown>, kind = 'host') =>
    JSON.stringify({ format: 'packet-lab/1', name: 's', machines: [{ id: 'a', kind, ...(kind === 'host' ? { nics: [{ name: 'eth0', ip: '10.0.0.1/24' }] } : {}), sysctl }], links: [] });

  it('accepts known sysctls with valid values and resolves them as text', () => {
    const r = parseLab(lab({ 'net.ipv4.tcp_syncookies': 0, 'net.ipv4.ip_local_port_range': '40000 40100' }));
    expect(r.ok && r.lab.machines[0]!.sysctl).toEqual({ 'net.ipv4.tcp_syncookies': '0', 'net.ipv4.ip_local_port_range': '40000 40100' });
  });

  it('names an unknown sysctl and a bad value by their path', () => {
    const r = parseLab(lab({ 'net.ipv4.tcp_syncookie': 1, 'net.ipv4.tcp_syncookies': 3 }));
    expect(r.ok).toBe(false);
    const msgs = r.ok ? [] : r.errors.map(formatLabError);
    expect(msgs[0]).toMatch(/^machines\[0\]\.sysctl\["net\.ipv4\.tcp_syncookie"\]: unknown sysctl \(known: /);
    expect(msgs[1]).toBe('machines[0].sysctl["net.ipv4.tcp_syncookies"]: "3" is not a valid value for net.ipv4.tcp_syncookies (an integer 0..2)');
  });

  it('rejects an empty or all-space value (Number("") would read it as 0)', () => {
    for (const v of ['', '   ']) {
      const r = parseLab(lab({ 'net.ipv4.tcp_sack': v }));
      expect(r.ok).toBe(false);
      expect(r.ok ? [] : r.errors.map(formatLabError)).toEqual([
        'machines[0].sysctl["net.ipv4.tcp_sack"]: a value is required for net.ipv4.tcp_sack (an integer 0..1)',
      ]);
    }
  });

  it('refuses sysctls on a switch', () => {
    const r = parseLab(lab({ 'net.ipv4.tcp_syncookies': 0 }, 'switch'));
    expect(r.ok ? [] : r.errors.map(formatLabError)).toContain('machines[0].sysctl: a switch has no kernel settings');
  });
});

describe('users, services and the resolver', () => {
  it('accept accounts, services with and without ports, and a DNS server; resolve them', () => {
    const d = changed((x) => {
      x.machines[1].users = [{ name: 'alice', password: 'secret' }];
      x.machines[1].services = [{ name: 'ftp' }, { name: 'http', port: 8080 }];
      x.machines[0].dns = '10.0.0.2';
    });
    expect(errors(d)).toEqual([]);
    const r = parseLab(JSON.stringify(d));
    expect(r.ok && r.lab.machines[1]).toMatchObject({ users: [{ name: 'alice', password: 'secret' }], services: [{ name: 'ftp' }, { name: 'http', port: 8080 }] });
    expect(r.ok && r.lab.machines[0]!.dns).toBe(0x0a000002);
  });

  it('refuse bad names, duplicates, unknown services, clashing ports and fields on a switch, naming the path', () => {
    expect(errors(changed((x) => (x.machines[1].users = [{ name: 'Alice', password: 'x' }])))).toEqual([
      'machines[1].users[0].name: "Alice" is not a user name (1..32 lower-case letters, digits, "-" or "_", starting with a letter or "_")',
    ]);
    expect(errors(changed((x) => (x.machines[1].users = [{ name: 'bob', password: 'a' }, { name: 'bob', password: 'b' }])))).toEqual([
      'machines[1].users[1].name: user "bob" is already defined at users[0]',
    ]);
    expect(errors(changed((x) => (x.machines[1].users = [{ name: 'bob', password: 'a\nb' }]))).length).toBe(1);
    expect(errors(changed((x) => (x.machines[1].services = [{ name: "gopher" }])))[0]).toMatch(/^machines\[1\]\.services\[0\]\.name: "gopher" is not a service name \("echo", "ftp", "http", "ssh", "telnet", "smtp", "dns", "listen"/);
    expect(errors(changed((x) => (x.machines[1].services = [{ name: 'ftp', port: 70000 }])))).toEqual(['machines[1].services[0].port: 70000 is not a port number (an integer 1..65535)']);
    expect(errors(changed((x) => (x.machines[1].services = [{ name: 'http' }, { name: 'listen', port: 80 }])))).toEqual([
      'machines[1].services[1]: port 80/tcp is already taken by services[0] (http)',
    ]);
    expect(errors(changed((x) => (x.machines[3].services = [{ name: 'ftp' }])))).toEqual(['machines[3].services: a switch runs no programs, so it has no services']);
    expect(errors(changed((x) => (x.machines[0].dns = '10.0.0')))).toEqual(['machines[0].dns: "10.0.0" is not an IPv4 address (the DNS server, like "10.0.0.10")']);
  });
});

describe('static routes in the lab file', () => {
  it('accepts routes whose next hop is on one of the machine\'s subnets; refuses host bits, unreachable next hops and routes on a switch', () => {
    const ok = changed((x) => (x.machines[2].routes = [{ to: '10.0.9.0/24', via: '10.0.1.1' }]));
    expect(errors(ok)).toEqual([]);
    const r = parseLab(JSON.stringify(ok));
    expect(r.ok && r.lab.machines[2]!.routes).toEqual([{ dst: 0x0a000900, prefix: 24, via: 0x0a000101 }]);
    expect(errors(changed((x) => (x.machines[2].routes = [{ to: '10.0.9.5/24', via: '10.0.1.1' }])))).toEqual(['machines[2].routes[0].to: "10.0.9.5/24" has host bits set; the network is 10.0.9.0/24']);
    expect(errors(changed((x) => (x.machines[2].routes = [{ to: '10.0.9.0/24', via: '172.16.0.1' }])))).toEqual(["machines[2].routes[0].via: \"172.16.0.1\" is not on any of r1's subnets (a next hop must be directly reachable)"]);
    expect(errors(changed((x) => (x.machines[3].routes = [])))).toEqual(['machines[3].routes: a switch runs no programs, so it has no routing table']);
  });
});
