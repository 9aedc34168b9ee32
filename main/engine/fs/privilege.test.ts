import { describe, expect, it } from 'vitest';
import { runSteps } from '../test/script-run';

describe('what a user may not do', () => {
  it('kill another user\'s process, write a sysctl, start or stop services: EPERM / EACCES / Access denied', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'service http start' },
      { at: 2, on: 'server', run: 'su student -c "service http stop"' },
      { at: 3, on: 'server', run: 'su student -c "sysctl -w net.ipv4.ip_unprivileged_port_start=0"' },
      { at: 4, on: 'server', run: 'service http status' },
      { at: 5, on: 'server', run: 'su student -c "kill 1"' },
    ]);
    expect(r.out[1]).toBe('Failed to stop http.service: Access denied\n');
    expect(r.out[2]).toBe('sysctl: permission denied on key "net.ipv4.ip_unprivileged_port_start"\n');
    expect(r.out[3]).toMatch(/Active: active \(running\)/);
    expect(r.out[4]).toMatch(/kill: \(1\) - Operation not permitted\n$/);
  });
});
