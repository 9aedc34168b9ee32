import { describe, expect, it } from 'vitest';
import { runSteps } from '../../test/script-run';

const flags = (f: { bytes: Uint8Array }) => f.bytes[47]! & 0x3f;
const ports = (f: { bytes: Uint8Array }) => [(f.bytes[34]! << 8) | f.bytes[35]!, (f.bytes[36]! << 8) | f.bytes[37]!];

describe('nmap', () => {
  it('-sS as root finds exactly the open ports (a listener on a high port too); each open port costs SYN, SYN-ACK, RST', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service ftp start' },
      { at: 1, on: 'server', run: 'service http start' },
      { at: 1, on: 'server', run: 'service listen start 31337' },
      { at: 2, on: 'client', run: 'nmap -p 1-100,31337 10.0.0.2' },
      { at: 20, on: 'client', run: 'nmap --reason -p 21,22 10.0.0.2' },
    ]);
    expect(r.out[3]).toMatch(/^Starting Nmap 7\.93 \( https:\/\/nmap\.org \) at 2026-01-01 00:00 UTC\nNmap scan report for 10\.0\.0\.2\nHost is up\.\nNot shown: 98 closed tcp ports \(reset\)\nPORT +STATE SERVICE\n21\/tcp +open +ftp\n80\/tcp +open +http\n31337\/tcp open +unknown\n\nNmap done: 1 IP address \(1 host up\) scanned in [\d.]+ seconds\n$/);
    expect(r.out[4]).toMatch(/21\/tcp open +ftp +syn-ack ttl 64\n22\/tcp closed ssh +reset ttl 64\n/);
    // The handshake is never completed: SYN, SYN-ACK, then the client kernel's RST.
    const to21 = r.sink.frames.filter((f) => f.first && f.bytes[23] === 6 && (ports(f)[0] === 21 || ports(f)[1] === 21) && f.at < 20e9);
    expect(to21.map((f) => [f.machine, flags(f)])).toEqual([['client', 0x02], ['server', 0x12], ['client', 0x04]]);
  });

  it('-sT without root (connect scan), -sU (ICMP port unreachable = closed), and a refused -sS for non-root', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service echo start' },
      { at: 2, on: 'client', run: "su student -c 'nmap -p 5-9 10.0.0.2'" },
      { at: 5, on: 'client', run: 'nmap -sU -p 7,9 10.0.0.2' },
      { at: 15, on: 'client', run: "su student -c 'nmap -sS -p 7 10.0.0.2'" },
      { at: 16, on: 'client', run: 'nmap -p 1-5 10.0.0.3' },
    ], { until: 60 });
    expect(r.out[1]).toMatch(/PORT +STATE +SERVICE\n5\/tcp +closed unknown\n6\/tcp +closed unknown\n7\/tcp +open +echo\n8\/tcp +closed unknown\n9\/tcp +closed unknown\n/);
    expect(r.out[2]).toMatch(/7\/udp open +echo\n9\/udp closed unknown\n/);
    expect(r.out[3]).toContain('You requested a scan type which requires root privileges.\nQUITTING!\n');
    expect(r.out[4]).toMatch(/Note: Host seems down\. If it is really up, but blocking our ping probes, try -Pn\n/);
  });
});

describe('nmap -Pn', () => {
  it('reports a silent host as up with filtered ports instead of "seems down"', () => {
    const r = runSteps([{ at: 1, on: 'client', run: 'nmap -Pn -p 1-3 10.0.0.3' }], { until: 30 });
    expect(r.out[0]).toMatch(/Nmap scan report for 10\.0\.0\.3\nHost is up\.\n/);
    expect(r.out[0]).toMatch(/1\/tcp +filtered/);
  });
});
