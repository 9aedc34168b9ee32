import { describe, expect, it } from 'vitest';
import { runSteps } from '../../test/script-run';

describe('names through the lab DNS: machines use the dns service as resolver', () => {
  it('ping and curl by machine name; dig shows the answer; unknown names fail like glibc', () => {
    const r = runSteps(
      [
        { at: 1, on: 'client', run: 'ping -c 1 server' },
        { at: 2, on: 'client', run: 'curl -s http://server/about.html' },
        { at: 3, on: 'client', run: 'dig +short server.lab' },
        { at: 4, on: 'client', run: 'ping -c 1 nosuch' },
        { at: 5, on: 'client', run: 'service dns status' },
        { at: 6, on: 'server', run: 'echo "10.0.0.50 printer" >> /etc/dnsd/zone' },
        { at: 7, on: 'client', run: 'dig +short printer.lab' },
      ],
      { machine: { server: { services: [{ name: 'dns' }, { name: 'http' }] }, client: { dns: 0x0a000002 } } },
    );
    expect(r.out[0]).toMatch(/^PING server \(10\.0\.0\.2\) 56\(84\) bytes of data\.\n64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64/);
    expect(r.out[1]).toContain('Every byte of this page crossed');
    expect(r.out[2]).toBe('10.0.0.2\n');
    expect(r.out[3]).toMatch(/nosuch: (Name or service not known|No address associated with hostname)\n/);
    // The zone is a file on the DNS server: a record added to it is answered at once.
    expect(r.out[6]).toBe('10.0.0.50\n');
    // DNS queries and answers on the wire, UDP 53, before the first echo request.
    const dns = r.sink.frames.filter((f) => f.first && f.bytes[23] === 17 && ((f.bytes[36]! << 8) | f.bytes[37]!) === 53);
    expect(dns.length).toBeGreaterThanOrEqual(2);
  });
});
