import { describe, expect, it } from 'vitest';
import { examples } from './examples';

describe('example gallery', () => {
  it('lists every example lab with its description, the seed topics first', () => {
    const list = examples();
    expect(list.slice(0, 7).map((e) => e.name)).toEqual([
      'accept() keeps the listening port',
      'Backlog overflow',
      'Who owns this socket? fork and fd passing',
      'Port ranges and a backdoor',
      'FTP active vs passive',
      'Telnet vs SSH on the wire',
      'Routing across subnets with two routers',
    ]);
    for (const e of list.slice(0, 7)) expect(e.description.length).toBeGreaterThan(40);
    expect(list.some((e) => e.file.startsWith('bad'))).toBe(false);
  });

  it('skips a file that is not JSON', () => {
    expect(examples({ '../../examples/x.lab.json': '{', '../../examples/y.lab.json': '{"name":"Y","description":"d"}' }).map((e) => e.name)).toEqual(['Y']);
  });
});
