import { describe, expect, it } from 'vitest';
import type { LabDoc } from '../../shared/lab/types';
import { History } from './history';
import { addNic, type Checked, problemsAt, removeNic, setLinkFields, setMachineFields, setNic, setService, setServicePort, setSysctl } from './properties';

const doc: LabDoc = {
  format: 'packet-lab/1',
  name: 'lab',
  machines: [
    { id: 'sw1', kind: 'switch' },
    { id: 'h1', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.1.10/24' }] },
    { id: 'h2', kind: 'host', nics: [{ name: 'eth0', ip: '10.0.1.11/24' }] },
    { id: 'r1', kind: 'router', nics: [{ name: 'eth0', ip: '10.0.1.1/24' }, { name: 'eth1', ip: '10.0.2.1/24' }] },
  ],
  links: [
    { a: 'h1:eth0', b: 'sw1:p1' },
    { a: 'h2:eth0', b: 'sw1:p2' },
  ],
};

function applied(c: Checked): LabDoc {
  if (!c.ok) throw new Error(c.reason);
  return c.doc;
}

describe('property edits', () => {
  it('accept valid values and remove emptied fields', () => {
    let d = applied(setMachineFields(doc, 'h1', { gateway: '10.0.1.1', dns: '10.0.1.1' }));
    expect(d.machines[1]).toMatchObject({ gateway: '10.0.1.1', dns: '10.0.1.1' });
    d = applied(setMachineFields(d, 'h1', { dns: undefined }));
    expect('dns' in d.machines[1]!).toBe(false);
    d = applied(setNic(d, 'h2', 0, { ip: '10.0.1.20/24', mac: '02:aa:bb:cc:dd:ee' }));
    expect(d.machines[2]!.nics![0]).toEqual({ name: 'eth0', ip: '10.0.1.20/24', mac: '02:aa:bb:cc:dd:ee' });
  });

  it('refuse what a lab file may not hold, with each problem at its field', () => {
    const bad = setNic(doc, 'h1', 0, { ip: '10.0.1.300/24' });
    expect(bad.ok).toBe(false);
    expect(problemsAt(bad, 'machines[1].nics[0].ip')[0]).toMatch(/10\.0\.1\.300/);
    const dup = setNic(doc, 'h2', 0, { ip: '10.0.1.10/24' });
    expect(problemsAt(dup, 'machines[2].nics[0].ip')[0]).toMatch(/duplicate|also/i);
    const gw = setMachineFields(doc, 'h1', { gateway: '192.168.0.1' });
    expect(problemsAt(gw, 'machines[1].gateway')[0]).toMatch(/subnet/);
    const same = setNic(doc, 'r1', 1, { ip: '10.0.1.2/24' });
    expect(problemsAt(same, 'machines[3]').join(' ')).toMatch(/subnet/);
    const mac = setNic(doc, 'h2', 0, { mac: 'zz' });
    expect(problemsAt(mac, 'machines[2].nics[0].mac')).toHaveLength(1);
    expect(problemsAt(mac, 'machines[1]')).toEqual([]);
  });

  it('renaming a linked NIC renames its link end; removing a NIC removes its link', () => {
    let d = applied(setNic(doc, 'h1', 0, { name: 'lan0' }));
    expect(d.links[0]).toEqual({ a: 'h1:lan0', b: 'sw1:p1' });
    d = applied(addNic(d, 'h1'));
    expect(d.machines[1]!.nics!.map((n) => n.name)).toEqual(['lan0', 'eth0']);
    d = applied(removeNic(d, 'h1', 0));
    expect(d.links).toEqual([{ a: 'h2:eth0', b: 'sw1:p2' }]);
    expect(addNic(doc, 'sw1')).toEqual({ ok: false, reason: 'a switch has ports, not NICs' });
  });

  it('services: started with the lab or not, on their well-known port unless one is given; a port clash is refused there', () => {
    let d = applied(setService(doc, 'h1', 'ftp', true));
    expect(d.machines[1]!.services).toEqual([{ name: 'ftp' }]);
    expect(applied(setService(d, 'h1', 'ftp', true))).toBe(d); // already on: nothing to undo
    d = applied(setService(d, 'h1', 'http', true));
    d = applied(setServicePort(d, 'h1', 'http', 8080));
    expect(d.machines[1]!.services).toEqual([{ name: 'ftp' }, { name: 'http', port: 8080 }]);
    expect(problemsAt(setServicePort(d, 'h1', 'http', 21), 'machines[1].services[1]')).toEqual(['port 21/tcp is already taken by services[0] (ftp)']);
    expect(problemsAt(setServicePort(d, 'h1', 'http', 70000), 'machines[1].services[1].port')).toHaveLength(1);
    d = applied(setService(applied(setService(d, 'h1', 'ftp', false)), 'h1', 'http', false));
    expect('services' in d.machines[1]!).toBe(false);
    expect(setService(doc, 'sw1', 'ftp', true).ok).toBe(false); // a switch runs no services
  });

  it('sysctls: set as sysctl -w takes them (numbers stay numbers), refused with the kernel\'s reason, removed back to the default', () => {
    let d = applied(setSysctl(doc, 'h1', 'net.ipv4.tcp_syncookies', '0'));
    d = applied(setSysctl(d, 'h1', 'net.ipv4.ip_local_port_range', '40000 40010'));
    expect(d.machines[1]!.sysctl).toEqual({ 'net.ipv4.tcp_syncookies': 0, 'net.ipv4.ip_local_port_range': '40000 40010' });
    expect(problemsAt(setSysctl(d, 'h1', 'net.ipv4.tcp_syncookies', '7'), 'machines[1].sysctl["net.ipv4.tcp_syncookies"]')).toEqual([
      '"7" is not a valid value for net.ipv4.tcp_syncookies (an integer 0..2)',
    ]);
    d = applied(setSysctl(applied(setSysctl(d, 'h1', 'net.ipv4.tcp_syncookies', undefined)), 'h1', 'net.ipv4.ip_local_port_range', undefined));
    expect('sysctl' in d.machines[1]!).toBe(false);
  });

  it('link parameters: valid ones apply, bad ones are refused at their field', () => {
    const d = applied(setLinkFields(doc, 0, { latency: '20ms', bandwidth: '10Mbps', loss: 0.01, mtu: 1400 }));
    expect(d.links[0]).toEqual({ a: 'h1:eth0', b: 'sw1:p1', latency: '20ms', bandwidth: '10Mbps', loss: 0.01, mtu: 1400 });
    expect(problemsAt(setLinkFields(doc, 1, { loss: 2 }), 'links[1].loss')).toHaveLength(1);
    expect(problemsAt(setLinkFields(doc, 1, { latency: 'soon' }), 'links[1].latency')).toHaveLength(1);
    expect(applied(setLinkFields(d, 0, { mtu: undefined })).links[0]!.mtu).toBeUndefined();
    // Down is written as "up": false; back up, the key goes (up is the default).
    const down = applied(setLinkFields(d, 0, { up: false }));
    expect(down.links[0]!.up).toBe(false);
    expect('up' in applied(setLinkFields(down, 0, { up: undefined })).links[0]!).toBe(false);
  });

  it('typing into one field is one undo step', () => {
    const h = new History(doc);
    for (const text of ['10.0.1.1', '10.0.1.12', '10.0.1.12/2', '10.0.1.12/24']) {
      const c = setNic(h.doc, 'h1', 0, { ip: text });
      if (c.ok) h.commit(c.doc, { label: c.label, mergeKey: 'h1.eth0.ip' });
    }
    h.seal();
    expect(h.doc.machines[1]!.nics![0]!.ip).toBe('10.0.1.12/24');
    expect(h.undo()).toBe(doc);
  });
});
