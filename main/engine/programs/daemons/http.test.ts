import { describe, expect, it } from 'vitest';
import { runSteps } from '../../test/script-run';

describe('HTTP: httpd via service, curl', () => {
  it('service http start, then curl fetches index.html; -v shows the request and response headers', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service http start' },
      { at: 2, on: 'client', run: 'curl -v http://10.0.0.2/' },
      { at: 3, on: 'server', run: 'service http status' },
    ]);
    expect(r.done).toEqual([true, true, true]);
    expect(r.out[0]).toMatch(/^Started http: httpd \(pid \d+\) on port 80\/tcp\n$/);
    const curl = r.out[1]!;
    expect(curl).toContain('*   Trying 10.0.0.2:80...\n* Connected to 10.0.0.2 (10.0.0.2) port 80\n');
    expect(curl).toContain('> GET / HTTP/1.1\n> Host: 10.0.0.2\n> User-Agent: curl/8.5.0\n> Accept: */*\n> \n');
    expect(curl).toContain('< HTTP/1.1 200 OK\n< Date: Thu, 01 Jan 2026 00:00:02 GMT\n< Server: PacketLab-httpd/1.0\n');
    expect(curl).toMatch(/< Content-Type: text\/html; charset=utf-8\n< Content-Length: \d+\n< Keep-Alive: timeout=5, max=99\n< Connection: Keep-Alive\n/);
    expect(curl).toContain('<h1>It works: server</h1>');
    expect(curl).toContain('* Connection #0 to host 10.0.0.2 left intact');
    expect(r.out[2]).toMatch(/Active: active \(running\)/);
    expect(r.out[2]).toMatch(/httpd\[\d+\]: 10\.0\.0\.1 - - \[01\/Jan\/2026:00:00:02 \+0000\] "GET \/ HTTP\/1\.1" 200 \d+/);
  });

  it('status codes: 404, 301 for a directory without its slash, 405 with Allow; two URLs share one connection', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service http start' },
      { at: 2, on: 'client', run: 'curl -i http://10.0.0.2/nothing.html' },
      { at: 3, on: 'server', run: 'mkdir /var/www/html/docs' },
      { at: 4, on: 'client', run: 'curl -I http://10.0.0.2/docs' },
      { at: 5, on: 'client', run: 'curl -i -X POST http://10.0.0.2/' },
      { at: 6, on: 'client', run: 'curl -v http://10.0.0.2/ http://10.0.0.2/about.html' },
    ]);
    expect(r.out[1]).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
    expect(r.out[1]).toContain('The requested URL /nothing.html was not found on this server.');
    expect(r.out[3]).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n/);
    expect(r.out[3]).toContain('Location: /docs/\n');
    expect(r.out[4]).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\n/);
    expect(r.out[4]).toContain('Allow: GET, HEAD\n');
    expect(r.out[5]).toContain('* Re-using existing connection with host 10.0.0.2');
    expect(r.out[5]).toContain('Every byte of this page crossed');
    // One TCP connection: a single SYN from the client for the two requests of the last curl.
    const syns = r.sink.frames.filter((f) => f.first && f.machine === 'client' && f.bytes[23] === 6 && (f.bytes[47]! & 0x12) === 0x02 && f.at >= 6e9);
    expect(syns).toHaveLength(1);
  });

  it('curl errors: refused (7), unknown host (6), unsupported scheme (1)', () => {
    const r = runSteps([
      { at: 1, on: 'client', run: 'curl http://10.0.0.2/' },
      { at: 2, on: 'client', run: 'curl http://nosuchhost/' },
      { at: 3, on: 'client', run: 'curl https://10.0.0.2/' },
    ]);
    expect(r.out[0]).toMatch(/^curl: \(7\) Failed to connect to 10\.0\.0\.2 port 80 after \d+ ms: Couldn't connect to server\n$/);
    expect(r.out[1]).toBe('curl: (6) Could not resolve host: nosuchhost\n');
    expect(r.out[2]).toBe('curl: (1) Protocol "https" not supported\n');
  });

  it('a port conflict names the holder; ports below 1024 need root', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'nc -l 80 &' },
      { at: 2, on: 'server', run: 'service http start' },
      { at: 3, on: 'server', run: 'service http start 8080' },
    ]);
    expect(r.out[1]).toMatch(/^Job for http\.service failed: httpd exited at start\.\n.*httpd\[\d+\]: bind 0\.0\.0\.0:80: Address already in use \(port 80 in use by nc pid \d+\)\n$/);
    expect(r.out[2]).toMatch(/^Started http: httpd \(pid \d+\) on port 8080\/tcp\n$/);
  });
});

describe('HTTP: clients that send nothing or lie about lengths', () => {
  it('an idle connection is closed after 20 s; a Content-Length that is not digits gets 400', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service http start' },
      { at: 2, on: 'client', run: 'nc 10.0.0.2 80 &' },
      { at: 30, on: 'server', run: 'ss -tn' },
      { at: 31, on: 'client', run: 'curl -s -i -H "Content-Length: 0x10" http://10.0.0.2/' },
    ]);
    expect(r.out[2]).not.toMatch(/ESTAB .*10\.0\.0\.2:80/);
    expect(r.out[3]).toMatch(/^HTTP\/1\.1 400 Bad Request\n/);
  });
});
