import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, linkSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputError, traceAsOutput, writeOutput } from './output';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'cli-output-test-'));
  dirs.push(d);
  return d;
};

describe('writeOutput', () => {
  it('writes every piece the data gives, in order', () => {
    const path = join(fresh(), 'out.txt');
    writeOutput('--csv', path, (write) => {
      write('a,b\n');
      write(Uint8Array.from([0x31, 0x2c, 0x32, 0x0a]));
    });
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('removes a file the data failed to finish (a truncated capture would look whole), and the error goes on', () => {
    const path = join(fresh(), 'out.pcapng');
    expect(() =>
      writeOutput('--pcapng', path, (write) => {
        write('the first part');
        throw new Error('trace: chunk 3 could not be read');
      }),
    ).toThrow('trace: chunk 3 could not be read');
    expect(existsSync(path)).toBe(false);
  });

  it('leaves a pipe named as the output in place when the data fails (only a regular file is removed)', () => {
    const fifo = join(fresh(), 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // so opening it to write does not block
    try {
      expect(() =>
        writeOutput('--pcapng', fifo, (write) => {
          write('the first part');
          throw new Error('trace: chunk 3 could not be read');
        }),
      ).toThrow('trace: chunk 3 could not be read');
      expect(statSync(fifo).isFIFO()).toBe(true);
    } finally {
      closeSync(reader);
    }
  });

  it('a file it could not create is an OutputError naming what asked for it (the CLI names option and path)', () => {
    const path = join(fresh(), 'missing-folder', 'out.pcap');
    expect(() => writeOutput(`--pcap ${path}`, path, () => {})).toThrow(OutputError);
    expect(() => writeOutput(`--pcap ${path}`, path, () => {})).toThrow(`--pcap ${path}: ENOENT`);
  });
});

describe('traceAsOutput', () => {
  it('finds an output that is the trace: its name, another name for it, its WAL or shared-memory file (there or not)', () => {
    const d = fresh();
    const db = join(d, 't.sqlite');
    writeFileSync(db, 'x');
    linkSync(db, join(d, 'same.pcap'));
    expect(traceAsOutput(db, [['--pcap', join(d, 'other.pcap')], ['--pcapng', undefined]])).toBeNull();
    expect(traceAsOutput(db, [['--csv', join(d, 'a.csv')], ['--pcap', join(d, '.', 't.sqlite')]])).toEqual(['--pcap', join(d, '.', 't.sqlite')]);
    expect(traceAsOutput(db, [['--pcapng', join(d, 'same.pcap')]])).toEqual(['--pcapng', join(d, 'same.pcap')]);
    expect(traceAsOutput(db, [['--json', `${db}-wal`]])).toEqual(['--json', `${db}-wal`]);
    expect(traceAsOutput(db, [['--json', `${db}-shm`]])).toEqual(['--json', `${db}-shm`]);
    // A trace not made yet (run --db new.sqlite) is found by its name.
    expect(traceAsOutput(join(d, 'new.sqlite'), [['--pcap', join(d, 'new.sqlite')]])).toEqual(['--pcap', join(d, 'new.sqlite')]);
  });
});
