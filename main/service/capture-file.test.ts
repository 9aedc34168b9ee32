import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pingPcap } from '../test/captures';
import { tempDir } from '../test/tools';
import { CAPTURE_FILE_MAX_BYTES, readCaptureFile } from './capture-file';

/** A sparse file of `size` bytes starting with `head` (no disk space taken). */
function sparse(path: string, head: Uint8Array, size: number): string {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe('readCaptureFile', () => {
  it("gives a pcap's bytes, and says a Packet Lab trace is one without reading it", () => {
    const dir = tempDir();
    const pcap = pingPcap(3);
    writeFileSync(join(dir, 'p.pcap'), pcap);
    expect(readCaptureFile(join(dir, 'p.pcap'))).toEqual({ ok: true, kind: 'packets', bytes: Buffer.from(pcap) });
    const huge = sparse(join(dir, 'big.sqlite'), Buffer.from('SQLite format 3\0'), CAPTURE_FILE_MAX_BYTES + 2);
    expect(readCaptureFile(huge)).toEqual({ ok: true, kind: 'trace' });
  });

  it('refuses a pcap past the limit before reading it, naming its size', () => {
    const path = sparse(join(tempDir(), 'huge.pcap'), pingPcap(1), CAPTURE_FILE_MAX_BYTES + 2);
    expect(readCaptureFile(path)).toEqual({ ok: false, error: `huge.pcap is ${CAPTURE_FILE_MAX_BYTES + 2} bytes; Packet Lab imports pcap and pcapng files up to ${CAPTURE_FILE_MAX_BYTES} bytes (cut it with editcap)` });
  });

  it('refuses what is not a regular file without blocking on it', () => {
    const dir = tempDir();
    expect(readCaptureFile(join(dir, 'nope.pcap'))).toEqual({ ok: false, error: `nope.pcap: no such file (${join(dir, 'nope.pcap')})` });
    mkdirSync(join(dir, 'captures'));
    expect(readCaptureFile(join(dir, 'captures'))).toEqual({ ok: false, error: 'captures is a folder, not a capture file' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(readCaptureFile(join(dir, 'pipe'))).toEqual({ ok: false, error: 'pipe is not a regular file (a device, pipe or socket), not a capture file' });
    expect(readCaptureFile('/dev/zero')).toEqual({ ok: false, error: 'zero is not a regular file (a device, pipe or socket), not a capture file' });
  });
});
