import { describe, expect, it } from 'vitest';
import { runSteps } from '../test/script-run';

describe('service / systemctl and the lab file\'s services, users and resolver', () => {
  it('services listed in the lab start at time 0; users replace student; resolv.conf and the zone come from the lab', () => {
    const r = runSteps(
      [
        { at: 1, on: 'server', run: 'systemctl status http' },
        { at: 1, on: 'server', run: 'service --status-all' },
        { at: 2, on: 'server', run: 'cat /etc/passwd' },
        { at: 2, on: 'client', run: 'cat /etc/resolv.conf' },
        { at: 3, on: 'client', run: 'cat /etc/dnsd/zone' },
      ],
      { machine: { server: { services: [{ name: 'http' }, { name: 'echo', port: 7007 }], users: [{ name: 'alice', password: 'pw' }] }, client: { dns: 0x0a000002 } } },
    );
    expect(r.out[0]).toMatch(/^● http\.service - HTTP server\n {5}Active: active \(running\) for 1\.0 s\n {3}Main PID: \d+ \(httpd\)\n {5}Listen: 0\.0\.0\.0:80 \(tcp\)\n/);
    expect(r.out[1]).toBe(' [ + ]  echo\n [ - ]  ftp\n [ + ]  http\n [ - ]  ssh\n [ - ]  telnet\n [ - ]  smtp\n [ - ]  dns\n [ - ]  listen\n');
    expect(r.out[2]).toContain('alice:x:1000:1000:alice:/home/alice:/bin/sh\n');
    expect(r.out[2]).not.toContain('student');
    expect(r.out[3]).toBe('nameserver 10.0.0.2\nsearch lab\n');
    expect(r.out[4]).toContain('domain lab\n10.0.0.1\tclient\n10.0.0.2\tserver\n');
  });

  it('start, status, stop: stop ends the daemon and its connection processes; unknown names and actions are refused', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service echo start' },
      { at: 2, on: 'client', run: 'nc 10.0.0.2 7 &' },
      { at: 3, on: 'server', run: 'service echo status' },
      { at: 4, on: 'server', run: 'service echo stop' },
      { at: 5, on: 'server', run: 'service echo status' },
      { at: 6, on: 'server', run: 'service gopher start' },
      { at: 6, on: 'server', run: 'service echo frobnicate' },
      { at: 7, on: 'server', run: 'service echo start 99999' },
    ]);
    expect(r.out[2]).toMatch(/Tasks: 3 \(2 connections: \d+, \d+\)/); // the UDP echo process and the TCP connection
    expect(r.out[3]).toMatch(/^Stopped echo \(pid \d+ and 2 connection processes\)\n$/);
    expect(r.out[4]).toMatch(/^● echo\.service - echo service \(RFC 862\)\n {5}Active: inactive \(dead\)\n/);
    expect(r.out[5]).toBe('service: gopher: unrecognized service\n');
    expect(r.out[6]).toMatch(/^service: frobnicate: unknown action\nUsage: service NAME/);
    expect(r.out[7]).toBe('service: 99999: not a port number (1-65535)\n');
  });
});
