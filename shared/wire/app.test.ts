// Application protocols by well-known port: the packet-list row (summarize) and the details tree
// (dissect) of DNS, FTP, FTP-DATA, SSH, TELNET, SMTP and HTTP. The Info strings are the ones
// tshark 4.0 prints for the same frames; the last block checks that where tshark is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sshParts, tcpAppProtocol, udpAppProtocol } from './app';
import { dissect, summarize, type DissectNode } from './dissect';
import { dnsQuery, DnsRcode, dnsResponse, DnsType, reverseName, writeDns } from './dns';
import { EtherType, ethFrameLength, writeEthernet } from './ethernet';
import { IpProto, writeIpv4 } from './ipv4';
import { TcpFlag, writeTcp } from './tcp';
import { linuxOptionLayout } from './tcp-options';
import { writeUdp } from './udp';

const CLIENT = { mac: 0x0200_0000_0101, ip: 0x0a00_0001 };
const SERVER = { mac: 0x0200_0000_0201, ip: 0x0a00_000a };
const text = (s: string): Uint8Array => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));

/** An Ethernet/IPv4 frame; `toServer` picks the direction (client 10.0.0.1 <-> server 10.0.0.10). */
function frame(proto: number, l4len: number, payload: Uint8Array, toServer: boolean, l4: (f: Uint8Array, src: number, dst: number) => void): Uint8Array {
  const [s, d] = toServer ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const f = new Uint8Array(ethFrameLength(34 + l4len + payload.length));
  f.set(payload, 34 + l4len);
  l4(f, s.ip, d.ip);
  writeIpv4(f, 14, { id: 1, protocol: proto, src: s.ip, dst: d.ip, payloadLength: l4len + payload.length });
  writeEthernet(f, 0, { dst: d.mac, src: s.mac, etherType: EtherType.IPV4 });
  return f;
}

function udpFrame(srcPort: number, dstPort: number, payload: Uint8Array, toServer = dstPort < srcPort): Uint8Array {
  return frame(IpProto.UDP, 8, payload, toServer, (f, src, dst) => writeUdp(f, 34, { srcPort, dstPort, payloadLength: payload.length, src, dst }));
}

function tcpFrame(srcPort: number, dstPort: number, payload: Uint8Array | string, flags: number = TcpFlag.PSH | TcpFlag.ACK, toServer = dstPort < srcPort): Uint8Array {
  const p = typeof payload === 'string' ? text(payload) : payload;
  const options = linuxOptionLayout({ ts: { val: 1, ecr: 2 } });
  return frame(IpProto.TCP, 32, p, toServer, (f, src, dst) =>
    writeTcp(f, 34, { srcPort, dstPort, seq: 1000, ack: 2000, flags, window: 502, options, payloadLength: p.length, src, dst }),
  );
}

function labels(nodes: readonly DissectNode[]): string[] {
  return nodes.map((n) => n.label);
}

/** The application layer: the node after Ethernet, IPv4 and TCP/UDP. */
function appLayer(f: Uint8Array): DissectNode {
  const t = dissect(f);
  expect(t).toHaveLength(4);
  return t[3]!;
}

function find(nodes: readonly DissectNode[], prefix: string): DissectNode | undefined {
  for (const n of nodes) {
    if (n.label.startsWith(prefix)) return n;
    const c = n.children && find(n.children, prefix);
    if (c) return c;
  }
  return undefined;
}

/** The frame bytes a node covers, as text. */
function covered(f: Uint8Array, n: DissectNode): string {
  return String.fromCharCode(...f.subarray(n.range![0], n.range![1]));
}

describe('which protocol: by well-known port, lower port first (Wireshark decode_tcp_ports)', () => {
  it('either direction, and only with payload', () => {
    expect(tcpAppProtocol(40000, 21)).toEqual({ protocol: 'FTP', serverPort: 21, toServer: true });
    expect(tcpAppProtocol(21, 40000)).toEqual({ protocol: 'FTP', serverPort: 21, toServer: false });
    expect(tcpAppProtocol(25, 80)).toEqual({ protocol: 'SMTP', serverPort: 25, toServer: false });
    expect(tcpAppProtocol(5000, 6000)).toBeNull();
    expect(udpAppProtocol(53, 53)).toEqual({ protocol: 'DNS', serverPort: 53, toServer: true });
    expect(udpAppProtocol(40000, 21)).toBeNull();
    expect(tcpAppProtocol(40000, 53)).toBeNull();
  });

  it('a SYN, a pure ACK and a FIN stay TCP with their usual Info', () => {
    const syn = summarize(tcpFrame(40000, 80, '', TcpFlag.SYN));
    expect(syn).toMatchObject({ protocol: 'TCP', srcPort: 40000, dstPort: 80, payloadLen: 0 });
    expect(syn.info).toMatch(/^40000 → 80 \[SYN\] Seq=1000 Win=502 Len=0/);
    expect(summarize(tcpFrame(80, 40000, '', TcpFlag.ACK)).protocol).toBe('TCP');
    expect(summarize(tcpFrame(21, 40000, '', TcpFlag.FIN | TcpFlag.ACK)).protocol).toBe('TCP');
    expect(labels(dissect(tcpFrame(21, 40000, '', TcpFlag.ACK)))).toHaveLength(3);
  });

  it('the TCP fields of the row stay filled in', () => {
    expect(summarize(tcpFrame(40000, 21, 'USER student\r\n'))).toMatchObject({
      protocol: 'FTP', srcPort: 40000, dstPort: 21, tcpFlags: TcpFlag.PSH | TcpFlag.ACK, tcpSeq: 1000, tcpAck: 2000, tcpWindow: 502, payloadLen: 14, src: '10.0.0.1', dst: '10.0.0.10',
    });
  });

  it('an empty UDP datagram to 53 stays UDP', () => {
    expect(summarize(udpFrame(40000, 53, new Uint8Array(0))).protocol).toBe('UDP');
  });
});

describe('DNS over UDP 53', () => {
  const q = dnsQuery(0x1a2b, 'server', DnsType.A);
  const ans = dnsResponse(q, { answers: [{ name: 'server', type: DnsType.A, class: 1, ttl: 300, data: SERVER.ip }] });

  it('summary: query, answer, NXDOMAIN, PTR', () => {
    expect(summarize(udpFrame(40000, 53, writeDns(q)))).toMatchObject({ protocol: 'DNS', srcPort: 40000, dstPort: 53, info: 'Standard query 0x1a2b A server' });
    expect(summarize(udpFrame(53, 40000, writeDns(ans))).info).toBe('Standard query response 0x1a2b A server A 10.0.0.10');
    const nx = dnsQuery(0x1a2b, 'nosuch', DnsType.A);
    expect(summarize(udpFrame(53, 40000, writeDns(dnsResponse(nx, { rcode: DnsRcode.NXDOMAIN })))).info).toBe('Standard query response 0x1a2b No such name A nosuch');
    const ptr = dnsQuery(1, reverseName(SERVER.ip), DnsType.PTR);
    expect(summarize(udpFrame(40000, 53, writeDns(ptr))).info).toBe('Standard query 0x0001 PTR 10.0.0.10.in-addr.arpa');
    const ptrAns = dnsResponse(ptr, { answers: [{ name: reverseName(SERVER.ip), type: DnsType.PTR, class: 1, ttl: 300, data: 'server' }] });
    expect(summarize(udpFrame(53, 40000, writeDns(ptrAns))).info).toBe('Standard query response 0x0001 PTR 10.0.0.10.in-addr.arpa PTR server');
  });

  it('malformed DNS is DNS, says what and where, and keeps what was read', () => {
    const bytes = writeDns(q).subarray(0, 15);
    expect(summarize(udpFrame(40000, 53, bytes))).toMatchObject({
      protocol: 'DNS',
      malformed: 'DNS question 1 of 1: DNS label of 6 octets runs past the end of the message at byte 54',
      info: 'Standard query 0x1a2b [Malformed: DNS question 1 of 1: DNS label of 6 octets runs past the end of the message at byte 54]',
    });
    expect(summarize(udpFrame(40000, 53, text('hello')))).toMatchObject({ protocol: 'DNS', info: '[Malformed: DNS header truncated: 5 of 12 bytes at byte 42]' });
    const t = appLayer(udpFrame(40000, 53, text('hello')));
    expect(t.label).toBe('Domain Name System');
    expect(labels(t.children!)).toEqual(['[Malformed: DNS header truncated: 5 of 12 bytes at byte 42]']);
    const cut = appLayer(udpFrame(40000, 53, bytes));
    expect(labels(cut.children!).at(-1)).toBe('[Malformed: DNS question 1 of 1: DNS label of 6 octets runs past the end of the message at byte 54]');
  });

  it('the tree: header fields, flags, queries and answers with byte ranges (Wireshark layout)', () => {
    const f = udpFrame(53, 40000, writeDns({ ...ans, ra: true }));
    const t = dissect(f);
    expect(t[2]!.children!.at(-1)!.label).toBe('UDP payload (40 bytes)');
    const dns = t[3]!;
    expect(dns.label).toBe('Domain Name System (response)');
    expect(dns.range).toEqual([42, 82]);
    expect(labels(dns.children!)).toEqual([
      'Transaction ID: 0x1a2b',
      'Flags: 0x8580 Standard query response, No error',
      'Questions: 1',
      'Answer RRs: 1',
      'Authority RRs: 0',
      'Additional RRs: 0',
      'Queries',
      'Answers',
    ]);
    expect(labels(find(dns.children!, 'Flags:')!.children!)).toEqual([
      '1... .... .... .... = Response: Message is a response',
      '.000 0... .... .... = Opcode: Standard query (0)',
      '.... .1.. .... .... = Authoritative: Server is an authority for domain',
      '.... ..0. .... .... = Truncated: Message is not truncated',
      '.... ...1 .... .... = Recursion desired: Do query recursively',
      '.... .... 1... .... = Recursion available: Server can do recursive queries',
      '.... .... .0.. .... = Z: reserved (0)',
      '.... .... ..0. .... = Answer authenticated: Answer/authority portion was not authenticated by the server',
      '.... .... ...0 .... = Non-authenticated data: Unacceptable',
      '.... .... .... 0000 = Reply code: No error (0)',
    ]);
    const question = find(dns.children!, 'server: type A, class IN')!;
    expect(question.range).toEqual([54, 66]);
    expect(labels(question.children!)).toEqual(['Name: server', '[Name Length: 6]', '[Label Count: 1]', 'Type: A (Host Address) (1)', 'Class: IN (0x0001)']);
    expect(question.children![0]!.range).toEqual([54, 62]);
    const answer = find(dns.children!, 'server: type A, class IN, addr 10.0.0.10')!;
    expect(answer.range).toEqual([66, 82]);
    expect(labels(answer.children!)).toEqual(['Name: server', 'Type: A (Host Address) (1)', 'Class: IN (0x0001)', 'Time to live: 300 (5 minutes)', 'Data length: 4', 'Address: 10.0.0.10']);
    expect(answer.children!.map((n) => n.range)).toEqual([[66, 68], [68, 70], [70, 72], [72, 76], [76, 78], [78, 82]]);
  });

  it('the query flags are the query subset', () => {
    const flags = find([appLayer(udpFrame(40000, 53, writeDns(q)))], 'Flags:')!;
    expect(flags.label).toBe('Flags: 0x0100 Standard query');
    expect(labels(flags.children!)).toEqual([
      '0... .... .... .... = Response: Message is a query',
      '.000 0... .... .... = Opcode: Standard query (0)',
      '.... ..0. .... .... = Truncated: Message is not truncated',
      '.... ...1 .... .... = Recursion desired: Do query recursively',
      '.... .... .0.. .... = Z: reserved (0)',
      '.... .... ...0 .... = Non-authenticated data: Unacceptable',
    ]);
  });

  it('PTR, CNAME, NS, SOA and TXT entries', () => {
    const ptr = dnsQuery(1, reverseName(SERVER.ip), DnsType.PTR);
    const m = dnsResponse(ptr, {
      answers: [
        { name: reverseName(SERVER.ip), type: DnsType.PTR, class: 1, ttl: 3600, data: 'server' },
        { name: 'www', type: DnsType.CNAME, class: 1, ttl: 90061, data: 'server' },
      ],
      authority: [
        { name: 'lab', type: DnsType.NS, class: 1, ttl: 0, data: 'ns.lab' },
        { name: 'lab', type: DnsType.SOA, class: 1, ttl: 60, data: new Uint8Array([2, 110, 115, 0, 0, 0, 0, 0, 7, 0, 0, 0, 60, 0, 0, 0, 30, 0, 0, 14, 16, 0, 0, 0, 5]) },
      ],
      additional: [{ name: 'lab', type: DnsType.TXT, class: 1, ttl: 1, data: new Uint8Array([2, 104, 105]) }],
    });
    const dns = appLayer(udpFrame(53, 40000, writeDns(m)));
    expect(labels(dns.children!).slice(6)).toEqual(['Queries', 'Answers', 'Authoritative nameservers', 'Additional records']);
    const p = find(find(dns.children!, 'Answers')!.children!, '10.0.0.10.in-addr.arpa: type PTR')!;
    expect(p.label).toBe('10.0.0.10.in-addr.arpa: type PTR, class IN, server');
    expect(labels(p.children!).slice(3)).toEqual(['Time to live: 3600 (1 hour)', 'Data length: 8', 'Domain Name: server']);
    const c = find(dns.children!, 'www: type CNAME')!;
    expect(c.label).toBe('www: type CNAME, class IN, cname server');
    expect(labels(c.children!).slice(3)).toEqual(['Time to live: 90061 (1 day, 1 hour, 1 minute, 1 second)', 'Data length: 2', 'CNAME: server']);
    expect(find(dns.children!, 'lab: type NS')!.label).toBe('lab: type NS, class IN, ns ns.lab');
    expect(find(dns.children!, 'Time to live: 0')!.label).toBe('Time to live: 0 (0 seconds)');
    const soa = find(dns.children!, 'lab: type SOA')!;
    expect(soa.label).toBe('lab: type SOA, class IN, mname ns');
    expect(labels(soa.children!).slice(5)).toEqual([
      'Primary name server: ns',
      "Responsible authority's mailbox: <Root>",
      'Serial Number: 7',
      'Refresh Interval: 60 (1 minute)',
      'Retry Interval: 30 (30 seconds)',
      'Expire limit: 3600 (1 hour)',
      'Minimum TTL: 5 (5 seconds)',
    ]);
    const txt = find(dns.children!, 'lab: type TXT')!;
    expect(labels(txt.children!).slice(5)).toEqual(['TXT Length: 2', 'TXT: hi']);
  });

  it('bytes after the message are shown as extraneous', () => {
    const dns = appLayer(udpFrame(40000, 53, new Uint8Array([...writeDns(q), 0xde, 0xad])));
    expect(dns.range).toEqual([42, 66]);
    expect(labels(dns.children!).at(-1)).toBe('[Extraneous data: dead]');
  });
});

describe('FTP (21) and FTP-DATA (20)', () => {
  it('summary: request and response, first line only, CRLF stripped', () => {
    expect(summarize(tcpFrame(40000, 21, 'USER student\r\n'))).toMatchObject({ protocol: 'FTP', info: 'Request: USER student' });
    expect(summarize(tcpFrame(21, 40000, '220 (vsFTPd 3.0.3)\r\n'))).toMatchObject({ protocol: 'FTP', info: 'Response: 220 (vsFTPd 3.0.3)' });
    expect(summarize(tcpFrame(21, 40000, '230-Welcome\r\n230 Login successful.\r\n')).info).toBe('Response: 230-Welcome');
    expect(summarize(tcpFrame(40000, 21, 'NOOP')).info).toBe('Request: NOOP');
    expect(summarize(tcpFrame(40000, 21, 'USER a\tb\x01\r\n')).info).toBe('Request: USER a\\tb\\x01');
    const long = summarize(tcpFrame(40000, 21, `RETR ${'x'.repeat(400)}\r\n`)).info;
    expect(long.length).toBeLessThan(180);
    expect(long.endsWith('…')).toBe(true);
  });

  it('tree: one node per line, command and argument', () => {
    const f = tcpFrame(40000, 21, 'USER student\r\nPASS secret\r\n');
    const ftp = appLayer(f);
    expect(ftp.label).toBe('File Transfer Protocol (FTP)');
    expect(ftp.range).toEqual([66, 93]);
    expect(labels(ftp.children!)).toEqual(['USER student\\r\\n', 'PASS secret\\r\\n']);
    expect(ftp.children!.map((n) => covered(f, n))).toEqual(['USER student\r\n', 'PASS secret\r\n']);
    expect(labels(ftp.children![0]!.children!)).toEqual(['Request command: USER', 'Request arg: student']);
    expect(covered(f, ftp.children![0]!.children![1]!)).toBe('student');
    const r = appLayer(tcpFrame(21, 40000, '230-Welcome\r\n230 Login successful.\r\n'));
    expect(labels(r.children![1]!.children!)).toEqual(['Response code: 230', 'Response arg: Login successful.']);
    expect(labels(dissect(tcpFrame(40000, 21, 'NOOP')).at(-1)!.children![0]!.children!)).toEqual(['Request command: NOOP']);
  });

  it('FTP-DATA: byte count; text listing lines, binary as data', () => {
    const listing = tcpFrame(20, 40001, '-rw-r--r-- 1 root root 5 a.txt\r\ndrwxr-xr-x 2 root root 4096 pub\r\n');
    expect(summarize(listing)).toMatchObject({ protocol: 'FTP-DATA', info: 'FTP Data: 65 bytes' });
    const t = appLayer(listing);
    expect(t.label).toBe('FTP Data (65 bytes data)');
    expect(labels(t.children!)).toEqual(['FTP Data: -rw-r--r-- 1 root root 5 a.txt\\r\\n', 'FTP Data: drwxr-xr-x 2 root root 4096 pub\\r\\n']);
    const bin = appLayer(tcpFrame(40001, 20, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1])));
    expect(labels(bin.children!)).toEqual(['Data (6 bytes)']);
  });
});

describe('SMTP (25)', () => {
  it('summary: C: commands joined by " | ", S: replies with the code only on the first', () => {
    expect(summarize(tcpFrame(40000, 25, 'EHLO client\r\n'))).toMatchObject({ protocol: 'SMTP', info: 'C: EHLO client' });
    expect(summarize(tcpFrame(25, 40000, '250 server\r\n')).info).toBe('S: 250 server');
    expect(summarize(tcpFrame(25, 40000, '250-server\r\n250-PIPELINING\r\n250 HELP\r\n')).info).toBe('S: 250-server | PIPELINING | HELP');
    expect(summarize(tcpFrame(40000, 25, 'MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n')).info).toBe('C: MAIL FROM:<a@b> | RCPT TO:<c@d> | DATA');
    // Wireshark knows from the conversation that this is the message; stateless, we know it is no command.
    expect(summarize(tcpFrame(40000, 25, 'Subject: hi\r\n\r\nhello\r\n.\r\n')).info).toBe('C: DATA fragment, 25 bytes');
  });

  it('tree: command lines and replies split into code and parameter', () => {
    const s = appLayer(tcpFrame(40000, 25, 'EHLO client\r\nQUIT\r\n'));
    expect(s.label).toBe('Simple Mail Transfer Protocol');
    expect(labels(s.children!)).toEqual(['Command Line: EHLO client\\r\\n', 'Command Line: QUIT\\r\\n']);
    expect(labels(s.children![0]!.children!)).toEqual(['Command: EHLO', 'Request parameter: client']);
    const r = appLayer(tcpFrame(25, 40000, '250-server\r\n250 HELP\r\n'));
    expect(labels(r.children!)).toEqual(['Response: 250-server\\r\\n', 'Response: 250 HELP\\r\\n']);
    expect(labels(r.children![0]!.children!)).toEqual(['Response code: 250', 'Response parameter: server']);
    const body = appLayer(tcpFrame(40000, 25, 'Subject: hi\r\n.\r\n'));
    expect(labels(body.children!)).toEqual(['Message text: Subject: hi\\r\\n', 'Message text: .\\r\\n']);
  });
});

describe('HTTP (80)', () => {
  const resp = 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 12\r\n\r\n<p>hi</p>\r\n\r\n';

  it('summary: the start line; the media type of a body; otherwise Continuation', () => {
    expect(summarize(tcpFrame(40000, 80, 'GET / HTTP/1.1\r\nHost: server\r\n\r\n'))).toMatchObject({ protocol: 'HTTP', info: 'GET / HTTP/1.1' });
    expect(summarize(tcpFrame(80, 40000, resp)).info).toBe('HTTP/1.1 200 OK  (text/html)');
    expect(summarize(tcpFrame(80, 40000, 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')).info).toBe('HTTP/1.1 404 Not Found');
    expect(summarize(tcpFrame(80, 40000, 'more of the body')).info).toBe('Continuation');
  });

  it('tree: start line parts, header lines, the blank line, the body', () => {
    const f = tcpFrame(80, 40000, resp);
    const h = appLayer(f);
    expect(h.label).toBe('Hypertext Transfer Protocol');
    expect(labels(h.children!)).toEqual([
      'HTTP/1.1 200 OK\\r\\n',
      'Content-Type: text/html; charset=utf-8\\r\\n',
      'Content-Length: 12\\r\\n',
      '\\r\\n',
      'File Data: 13 bytes',
    ]);
    expect(labels(h.children![0]!.children!)).toEqual(['Response Version: HTTP/1.1', 'Status Code: 200', 'Response Phrase: OK']);
    expect(labels(h.children![4]!.children!)).toEqual(['<p>hi</p>\\r\\n', '\\r\\n']);
    expect(covered(f, h.children![4]!)).toBe('<p>hi</p>\r\n\r\n');
    const req = appLayer(tcpFrame(40000, 80, 'GET /index.html HTTP/1.0\r\n\r\n'));
    expect(labels(req.children![0]!.children!)).toEqual(['Request Method: GET', 'Request URI: /index.html', 'Request Version: HTTP/1.0']);
    const cont = appLayer(tcpFrame(80, 40000, new Uint8Array([0x1f, 0x8b, 8, 0])));
    expect(labels(cont.children!)).toEqual(['File Data: 4 bytes']);
    expect(labels(cont.children![0]!.children!)).toEqual(['Data: 1f8b0800']);
  });

  it('a long body is cut after 200 line nodes', () => {
    const body = 'x\n'.repeat(500);
    const h = appLayer(tcpFrame(80, 40000, `HTTP/1.1 200 OK\r\n\r\n${body}`));
    const data = h.children!.at(-1)!;
    expect(data.children).toHaveLength(201);
    expect(data.children!.at(-1)!.label).toBe('[… 600 more bytes]');
  });
});

describe('SSH (22)', () => {
  // A KEXINIT-shaped packet: length 12, padding 10, code 20 (RFC 4253 §6, §7.1).
  const kexinit = [0, 0, 0, 12, 10, 20, ...new Array<number>(10).fill(0)];

  it('summary: the version line, clear key-exchange packets, then encrypted', () => {
    expect(summarize(tcpFrame(40000, 22, 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n'))).toMatchObject({ protocol: 'SSH', info: 'Client: Protocol (SSH-2.0-OpenSSH_8.9p1 Ubuntu-3)' });
    expect(summarize(tcpFrame(22, 40000, 'SSH-2.0-ssh2js1.15.0\r\n')).info).toBe('Server: Protocol (SSH-2.0-ssh2js1.15.0)');
    expect(summarize(tcpFrame(22, 40000, new Uint8Array(kexinit))).info).toBe('Server: Key Exchange Init');
    const newKeys = [0, 0, 0, 12, 10, 21, ...new Array<number>(10).fill(0)];
    const ecdh = [0, 0, 0, 12, 4, 30, ...new Array<number>(10).fill(0)];
    expect(summarize(tcpFrame(40000, 22, new Uint8Array([...newKeys, ...ecdh]))).info).toBe('Client: New Keys, Elliptic Curve Diffie-Hellman Key Exchange Init');
    expect(summarize(tcpFrame(40000, 22, new Uint8Array([0x9a, 0x12, 0x44, 0x55, 9, 8, 7, 6, 5, 4, 3, 2]))).info).toBe('Client: Encrypted packet (len=12)');
    expect(summarize(tcpFrame(22, 40000, new Uint8Array([...newKeys, 1, 2, 3]))).info).toBe('Server: New Keys, Encrypted packet (len=3)');
  });

  it('the clear-packet test wants consistent lengths', () => {
    const bad = (b: number[]): string => sshParts(new Uint8Array(b), 0, b.length)[0]!.kind;
    expect(bad(kexinit)).toBe('packet');
    expect(bad([0, 0, 0, 13, 10, 20, ...new Array<number>(11).fill(0)])).toBe('encrypted'); // 4 + 13 not a multiple of 8
    expect(bad([0, 0, 0, 12, 3, 20, ...new Array<number>(10).fill(0)])).toBe('encrypted'); // padding < 4
    expect(bad([0, 0, 0, 20, 10, 20, ...new Array<number>(10).fill(0)])).toBe('encrypted'); // longer than the segment
    expect(bad([0, 0, 0, 12, 10, 99, ...new Array<number>(10).fill(0)])).toBe('encrypted'); // not a key-exchange code
  });

  it('tree: version line, packet fields, encrypted bytes', () => {
    const f = tcpFrame(40000, 22, new Uint8Array([...text('SSH-2.0-x\r\n'), ...kexinit, 0xaa, 0xbb]));
    const s = appLayer(f);
    expect(s.label).toBe('SSH Protocol');
    expect(labels(s.children!)).toEqual(['[Direction: client-to-server]', 'Protocol: SSH-2.0-x', 'SSH Version 2, Key Exchange Init', 'Encrypted Packet: aabb']);
    expect(labels(s.children![2]!.children!)).toEqual(['Packet Length: 12', 'Padding Length: 10', 'Message Code: Key Exchange Init (20)', 'Padding String: 00000000000000000000']);
    expect(s.children![2]!.range).toEqual([77, 93]);
  });
});

describe('TELNET (23)', () => {
  it('summary is Wireshark\'s fixed text', () => {
    expect(summarize(tcpFrame(40000, 23, new Uint8Array([255, 253, 24])))).toMatchObject({ protocol: 'TELNET', info: 'Telnet Data ...' });
    expect(summarize(tcpFrame(23, 40000, 'login: ')).info).toBe('Telnet Data ...');
  });

  it('tree: option negotiation, suboptions, commands and data lines', () => {
    const f = tcpFrame(23, 40000, new Uint8Array([255, 253, 24, 255, 251, 1, 255, 250, 24, 1, 255, 240, 255, 249, ...text('Ubuntu\r\nlogin: '), 255, 255]));
    const t = appLayer(f);
    expect(t.label).toBe('Telnet');
    expect(labels(t.children!)).toEqual([
      'Do Terminal Type',
      'Will Echo',
      'Suboption Terminal Type',
      'Command: Go Ahead',
      'Data: Ubuntu\\r\\n',
      'Data: login: \\xff\\xff',
    ]);
    expect(t.children!.map((n) => n.range)).toEqual([[66, 69], [69, 72], [72, 78], [78, 80], [80, 88], [88, 97]]);
    expect(labels(t.children![2]!.children!)).toEqual(['Option data: 01']);
    const cut = appLayer(tcpFrame(23, 40000, new Uint8Array([65, 255])));
    expect(labels(cut.children!)).toEqual(['Data: A', '[Malformed: TELNET command cut short after IAC at byte 67]']);
    expect(labels(appLayer(tcpFrame(23, 40000, new Uint8Array([255, 253]))).children!)).toEqual(['[Malformed: TELNET Do without its option at byte 66]']);
    expect(labels(appLayer(tcpFrame(23, 40000, new Uint8Array([255, 250, 31, 0, 80]))).children!)).toEqual(['Suboption Negotiate About Window Size (continues in the next segment)']);
  });
});

// ---- tshark agrees ------------------------------------------------------------------------------

const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);
if (!hasTshark) console.log(`app.test.ts: tshark cross-check skipped, ${TSHARK} not found (apt-get install -y tshark)`);

/** A classic pcap (LINKTYPE_ETHERNET) of the frames, one second apart. */
function pcap(frames: readonly Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number): void => void parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  const u16 = (v: number): void => void parts.push(v & 255, v >>> 8);
  u32(0xa1b2c3d4);
  u16(2);
  u16(4);
  u32(0);
  u32(0);
  u32(65535);
  u32(1);
  frames.forEach((f, i) => {
    u32(i);
    u32(0);
    u32(f.length);
    u32(f.length);
    parts.push(...f);
  });
  return new Uint8Array(parts);
}

describe.skipIf(!hasTshark)('tshark 4 prints the same Protocol and Info columns and DNS tree', () => {
  // One TCP stream per frame (client port), so that tshark's per-stream state does not differ from ours.
  let port = 41000;
  const c = (): number => port++;
  const q = dnsQuery(0x1a2b, 'server.lab', DnsType.A);
  const full = dnsResponse(q, {
    ra: true,
    answers: [
      { name: 'server.lab', type: DnsType.CNAME, class: 1, ttl: 300, data: 'www.lab' },
      { name: 'www.lab', type: DnsType.A, class: 1, ttl: 3661, data: SERVER.ip },
    ],
    authority: [
      { name: 'lab', type: DnsType.NS, class: 1, ttl: 86400, data: 'ns.lab' },
      { name: 'lab', type: DnsType.SOA, class: 1, ttl: 60, data: new Uint8Array([2, 110, 115, 0xc0, 0x13, 0, 0, 0, 0, 7, 0, 0, 0, 60, 0, 0, 0, 30, 0, 0, 14, 16, 0, 0, 0, 5]) },
    ],
    additional: [
      { name: 'ns.lab', type: DnsType.A, class: 1, ttl: 5, data: 0x0a000035 },
      { name: 'lab', type: DnsType.MX, class: 1, ttl: 5, data: new Uint8Array([0, 10, 4, 109, 97, 105, 108, 0xc0, 0x13]) },
    ],
  });
  const ptr = dnsQuery(1, reverseName(SERVER.ip), DnsType.PTR);
  const frames = [
    udpFrame(40000, 53, writeDns(q)),
    udpFrame(53, 40000, writeDns(full)),
    udpFrame(53, 40000, writeDns(dnsResponse(dnsQuery(2, 'nosuch', DnsType.A), { rcode: DnsRcode.NXDOMAIN }))),
    udpFrame(40000, 53, writeDns(ptr)),
    udpFrame(53, 40000, writeDns(dnsResponse(ptr, { answers: [{ name: reverseName(SERVER.ip), type: DnsType.PTR, class: 1, ttl: 300, data: 'server' }] }))),
    udpFrame(53, 40000, writeDns(dnsResponse(q, { rcode: DnsRcode.SERVFAIL }))),
    tcpFrame(c(), 21, 'USER student\r\n'),
    tcpFrame(21, c(), '220 (vsFTPd 3.0.3)\r\n'),
    tcpFrame(21, c(), '230-Welcome\r\n230 Login successful.\r\n'),
    tcpFrame(20, c(), '-rw-r--r-- 1 root root 5 a.txt\r\n'),
    tcpFrame(c(), 25, 'EHLO client\r\n'),
    tcpFrame(25, c(), '250-server\r\n250-PIPELINING\r\n250 HELP\r\n'),
    tcpFrame(c(), 25, 'MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n'),
    tcpFrame(c(), 80, 'GET / HTTP/1.1\r\nHost: server\r\n\r\n'),
    tcpFrame(80, c(), 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello'),
    tcpFrame(80, c(), 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'),
    tcpFrame(c(), 22, 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n'),
    tcpFrame(22, c(), 'SSH-2.0-ssh2js1.15.0\r\n'),
    tcpFrame(c(), 23, new Uint8Array([255, 253, 24, 255, 251, 1])),
  ];

  const dir = mkdtempSync(join(tmpdir(), 'wire-app-'));
  const path = join(dir, 'app.pcap');
  writeFileSync(path, pcap(frames));
  const tshark = (...args: string[]): string =>
    execFileSync(TSHARK, ['-o', 'tcp.analyze_sequence_numbers:FALSE', '-o', 'tcp.desegment_tcp_streams:FALSE', '-r', path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Protocol and Info (tshark pads HTTP start lines with a space; we do not)', () => {
    const theirs = tshark('-T', 'fields', '-E', 'separator=|', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info').trimEnd().split('\n').map((l) => l.trimEnd());
    expect(frames.map((f) => `${summarize(f).protocol}|${summarize(f).info}`)).toEqual(theirs);
  });

  it('every label of our DNS layers is a line of tshark -V', () => {
    const verbose = new Set(tshark('-V').split('\n').map((l) => l.trim()));
    for (const f of frames.slice(0, 6)) {
      const labelsOf = (n: DissectNode): string[] => [n.label, ...(n.children ?? []).flatMap(labelsOf)];
      for (const label of labelsOf(dissect(f)[3]!)) expect(verbose.has(label), label).toBe(true);
    }
  });
});
