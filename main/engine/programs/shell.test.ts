import { describe, expect, it } from 'vitest';
import { shell } from './shell';
import { run } from './testing';

function sh(...lines: string[]) {
  return run(shell, ['sh'], { stdin: lines, handlers: { tcsetpgrp: () => 0 } });
}

describe('shell exit builtin (bash behaviour)', () => {
  it('exits with the numeric argument modulo 256, 0 without one', () => {
    expect(sh('exit\n').status).toBe(0);
    expect(sh('exit 3\n').status).toBe(3);
    expect(sh('exit -1\n').status).toBe(255);
    expect(sh('exit 256\n').status).toBe(0);
  });

  it('a non-numeric argument: "numeric argument required", exit 2', () => {
    const r = sh('exit foo\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('sh: exit: foo: numeric argument required\n');
    expect(sh('exit 0x10\n').status).toBe(2);
  });
});
