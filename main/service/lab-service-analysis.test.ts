// The trace analyses and exports through the API, on the services example (FTP, Telnet, SMTP, HTTP
// and DNS sessions scripted from two clients).
import { afterEach, describe, expect, it } from 'vitest';
import { readCapture, TraceStore } from '../trace';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { hasTshark, tempDir, tshark } from '../test/tools';
import { ApiError, dispatch } from './dispatch';
import { LabService } from './lab-service';

let svc: LabService | undefined;
let store: TraceStore | undefined;
afterEach(() => {
  svc?.dispose();
  store?.close();
});

/** The services lab run to 12 s of lab time (its script ends before 10 s). */
async function servicesLab(): Promise<LabService> {
  store = TraceStore.open(':memory:');
  svc = new LabService(readFileSync('examples/services.lab.json', 'utf8'), { store, clock: { now: () => 0 } });
  await svc.setSpeed({ mode: 'max' });
  await svc.run();
  while ((await svc.getState()).status.timeNs < 12e9) svc.tick();
  await svc.pause();
  return svc;
}

/** Frame numbers (in the file of every capture point) tshark selects at server:eth0 alone. */
function pointFilter(file: string, filter: string): number[] {
  const one = join(tempDir(), 'server.pcapng');
  tshark(['-r', file, '-Y', 'frame.interface_name == "server:eth0"', '-w', one]);
  const numbers = tshark(['-r', file, '-Y', 'frame.interface_name == "server:eth0"', '-T', 'fields', '-e', 'frame.number']).trim().split('\n').map(Number);
  return tshark(['-r', one, '-Y', filter, '-T', 'fields', '-e', 'frame.number']).trim().split('\n').filter(Boolean).map((n) => numbers[Number(n) - 1]!);
}

const text = (b64: string) => Buffer.from(b64, 'base64').toString('latin1');

describe('LabService: Follow TCP Stream, flow graph, conversations, filtered export', () => {
  it('follows the stream of a selected frame: the FTP control dialogue, each side in order', async () => {
    const s = await servicesLab();
    const syn = (await s.listFrames({ offset: 0, limit: 1, filter: 'tcp.dstport == 21 && tcp.flags.syn == 1' })).rows[0]!;
    const detail = (await s.getFrame(syn.no))!;
    expect(detail.tcpStream).toBeTypeOf('number');
    const f = await s.followStream(detail.tcpStream!);
    expect(f.server).toBe('10.0.0.10:21');
    expect(f.client).toMatch(/^10\.0\.0\.11:\d+$/);
    expect(text(f.chunks[0]!.dataBase64)).toMatch(/^220 /);
    expect(f.chunks[0]!.fromServer).toBe(true);
    expect(f.chunks.find((c) => !c.fromServer && text(c.dataBase64).startsWith('USER '))).toBeDefined();
    expect(f.clientBytes).toBe(f.chunks.filter((c) => !c.fromServer).reduce((n, c) => n + Buffer.from(c.dataBase64, 'base64').length, 0));
    expect(f.truncated).toBe(false);
    // The SYN was sent by the ftp client's connect(); the server's SYN-ACK by no syscall.
    expect(detail.sentBy).toMatchObject({ machine: 'alice', process: 'ftp', call: expect.stringMatching(/^connect\(\d+, 10\.0\.0\.10:21\)$/) });
    const synAck = (await s.listFrames({ offset: 0, limit: 1, filter: `tcp.stream == ${detail.tcpStream} && tcp.flags.syn == 1 && tcp.flags.ack == 1` })).rows[0]!;
    expect((await s.getFrame(synAck.no))!.sentBy).toBeUndefined();
    await expect(s.followStream(9999)).rejects.toThrow(/there is no TCP stream 9999/);
    await expect(s.flowGraph({ stream: 9999 })).rejects.toThrow(/^flowGraph: there is no TCP stream 9999 \(streams run from 0 to \d+\)$/);
  });

  it('draws a stream`s flow graph with the handshake first, a filter`s, or every frame`s', async () => {
    const s = await servicesLab();
    const syn = (await s.listFrames({ offset: 0, limit: 1, filter: 'tcp.dstport == 25 && tcp.flags.syn == 1' })).rows[0]!;
    const stream = (await s.getFrame(syn.no))!.tcpStream!;
    const g = await s.flowGraph({ stream });
    expect(g.items.slice(0, 3).map((i) => [i.label, i.comment])).toEqual([['SYN', 'Seq = 0'], ['SYN, ACK', 'Seq = 0 Ack = 1'], ['ACK', 'Seq = 1 Ack = 1']]);
    expect(g.items.every((i) => i.stream === stream)).toBe(true);
    expect(g.nodes).toEqual(['10.0.0.11', '10.0.0.10']);
    const syns = await s.flowGraph({ filter: 'tcp.flags.syn == 1' });
    expect(syns.items.length).toBe((await s.listFrames({ offset: 0, limit: 1, filter: 'tcp.flags.syn == 1' })).total);
    expect(syns.items.every((i) => i.label.includes('SYN'))).toBe(true);
    const all = await s.flowGraph({ limit: 10 });
    expect([all.items.length, all.total]).toEqual([10, (await s.getState()).status.frameCount]);
    expect(all.items[0]!.protocol).toBe('ARP');
    await expect(s.flowGraph({ filter: 'tcp.port ==' })).rejects.toThrow(/display filter, at character/);
  });

  it('lists conversations and endpoints with frames and bytes each way', async () => {
    const s = await servicesLab();
    const t = await s.trafficStats();
    expect(t.frames).toBe((await s.getState()).status.frameCount);
    const ftp = t.conversations.tcp.find((c) => c.portB === 21)!;
    expect(ftp.a).toBe('10.0.0.11');
    expect(ftp.framesAtoB).toBeGreaterThan(5);
    expect(ftp.framesBtoA).toBeGreaterThan(5);
    const frames = t.conversations.eth.reduce((n, c) => n + c.framesAtoB + c.framesBtoA, 0);
    expect(frames).toBe(t.frames);
    expect(t.endpoints.ip.map((e) => e.address).sort()).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12']);
  });

  it('exports what a filter selects as pcapng, pcap, CSV and JSON', async () => {
    const s = await servicesLab();
    const filter = 'tcp.port == 21';
    const total = (await s.listFrames({ offset: 0, limit: 1, filter })).total;
    const ng = await s.exportCapture('pcapng', filter);
    expect(ng.fileName).toBe('Services-on-a-LAN-filtered.pcapng');
    const cap = readCapture(Buffer.from(ng.dataBase64, 'base64'));
    expect([cap.damage, cap.packets.length]).toEqual([undefined, total]);
    expect(readCapture(Buffer.from((await s.exportCapture('pcap', filter)).dataBase64, 'base64')).packets.length).toBe(total);
    const csv = text((await s.exportCapture('csv', filter)).dataBase64).split('\r\n');
    expect(csv[0]).toBe('"No.","Time","Machine:NIC","Source","Destination","Protocol","Length","Info"');
    expect(csv.length).toBe(total + 2); // header, rows, and the empty string after the last CRLF
    expect(csv[1]).toMatch(/^"\d+","\d+\.\d{9}","alice:eth0","10\.0\.0\.11","10\.0\.0\.10","TCP","\d+",".*"$/);
    const json = JSON.parse(text((await s.exportCapture('json')).dataBase64)) as { no: number; time: string }[];
    expect(json.length).toBe((await s.getState()).status.frameCount);
    await expect(s.exportCapture('pcap', 'tcp.port = 21')).rejects.toThrow(/display filter, at character/);
  });

  it('shows one capture point`s rows (a machine, or one NIC), and filters them as a capture there would be filtered', async () => {
    const s = await servicesLab();
    const all = await s.listFrames({ offset: 0, limit: 10_000, allCapturePoints: true });
    const atServer = all.rows.filter((r) => r.machine === 'server' && r.nic === 'eth0').map((r) => r.no);
    const point = await s.listFrames({ offset: 0, limit: 10_000, point: { machine: 'server', nic: 'eth0' } });
    expect(point.rows.map((r) => r.no)).toEqual(atServer);
    expect((await s.listFrames({ offset: 0, limit: 10_000, point: { machine: 'sw1' } })).total).toBe(all.rows.filter((r) => r.machine === 'sw1').length);
    expect((await s.listFrames({ offset: 0, limit: 10, point: { machine: 'nobody' } })).total).toBe(0);
    const ng = await s.exportCapture('pcapng', undefined, { machine: 'server', nic: 'eth0' });
    expect(ng.fileName).toBe('Services-on-a-LAN-server-eth0.pcapng');
    const cap = readCapture(Buffer.from(ng.dataBase64, 'base64'));
    expect(cap.packets.length).toBe(atServer.length);
    expect(new Set(cap.packets.map((p) => cap.interfaces[p.ifIndex]!.name))).toEqual(new Set(['server:eth0']));
    expect(await s.capturePoints()).toContainEqual({ machine: 'server', nic: 'eth0' });
    // A frame's copy at another capture point belongs to the same stream as its first capture.
    const copy = point.rows.find((r) => !r.first && r.protocol === 'FTP')!;
    const first = all.rows.find((r) => r.first && r.frameId === copy.frameId)!;
    expect((await s.getFrame(copy.no))!.tcpStream).toBe((await s.getFrame(first.no))!.tcpStream);
    expect((await s.getFrame(copy.no))!.tcpStream).toBeTypeOf('number');
    // tshark on the pcapng of every capture point, restricted to that NIC, selects the same rows
    // (FrameRow.no is the pcapng's frame number); its TCP analysis is per interface, as ours is here.
    if (!hasTshark) return;
    const file = join(tempDir(), 'all.pcapng');
    writeFileSync(file, Buffer.from((await s.exportCapture('pcapng')).dataBase64, 'base64'));
    for (const filter of ['ftp', 'tcp.stream == 2', 'tcp.seq > 100 && tcp.len > 0']) {
      const ours = (await s.listFrames({ offset: 0, limit: 10_000, filter, point: { machine: 'server', nic: 'eth0' } })).rows.map((r) => r.no);
      const theirs = pointFilter(file, filter);
      expect(ours, filter).toEqual(theirs);
      expect(ours.length, filter).toBeGreaterThan(0);
    }
  });

  it('counts frames and bytes per interval for the I/O graph, all and a filter`s', async () => {
    const s = await servicesLab();
    const all = await s.listFrames({ offset: 0, limit: 10_000 });
    const g = await s.ioGraph({ intervalNs: 1e9, filter: 'tcp.flags.syn == 1' });
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(g.all.frames)).toBe(all.total);
    expect(sum(g.all.bytes)).toBe(all.rows.reduce((n, r) => n + r.length, 0));
    expect(sum(g.selected!.frames)).toBe((await s.listFrames({ offset: 0, limit: 1, filter: 'tcp.flags.syn == 1' })).total);
    // Each second's bucket holds the frames whose time falls in it.
    const second = (k: number) => all.rows.filter((r) => Math.floor((r.timeNs - g.startNs) / 1e9) === k).length;
    expect(g.all.frames.map((_, k) => second(k))).toEqual(g.all.frames);
    expect(g.all.frames.length).toBe(Math.floor((all.rows.at(-1)!.timeNs - g.startNs) / 1e9) + 1);
    await expect(s.ioGraph({ intervalNs: 1e6 })).resolves.toMatchObject({ intervalNs: 1e6 });
  });

  it('dispatch validates the analyses` arguments', async () => {
    const s = await servicesLab();
    await expect(dispatch(s, 'followStream', [-1])).rejects.toBeInstanceOf(ApiError);
    await expect(dispatch(s, 'flowGraph', [{ stream: 0, bogus: 1 }])).rejects.toBeInstanceOf(ApiError);
    await expect(dispatch(s, 'flowGraph', [{ limit: 1e9 }])).rejects.toBeInstanceOf(ApiError);
    await expect(dispatch(s, 'exportCapture', ['xml'])).rejects.toBeInstanceOf(ApiError);
    await expect(dispatch(s, 'ioGraph', [{ intervalNs: 5 }])).rejects.toBeInstanceOf(ApiError);
    // The refusal names the intervals the I/O graph offers.
    await expect(dispatch(s, 'ioGraph', [{ intervalNs: 5 }])).rejects.toThrow(/^ioGraph: invalid argument 0\.intervalNs: .*expected one of 1000000\|10000000\|100000000\|1000000000\|10000000000$/);
    await expect(dispatch(s, 'flowGraph', [{ stream: 0, filter: 'tcp' }])).rejects.toThrow('give a stream or a filter, not both');
    expect(((await dispatch(s, 'exportCapture', ['csv', null])) as { fileName: string }).fileName).toBe('Services-on-a-LAN.csv');
  });
});
