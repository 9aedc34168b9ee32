import { describe, expect, it } from 'vitest';
import { Errno } from '../process/errno';
import { FILE_MAX_BYTES, FS_MAX_BYTES, Vfs, resolvePath } from './vfs';

const ROOT = { uid: 0, gid: 0 };
const STUDENT = { uid: 1000, gid: 1000 };
const errno = (v: unknown) => (v instanceof Errno ? v.name : v);

function disk(): Vfs {
  const v = new Vfs(() => 5e9);
  v.mkdirp('/home/student', STUDENT, 0o755);
  v.writeFile('/etc/motd', 'hi\n');
  v.mkdirp('/tmp', ROOT, 0o777);
  v.mkdirp('/root', ROOT, 0o700);
  v.writeFile('/root/secret', 'x', ROOT, 0o600);
  return v;
}

describe('paths', () => {
  it('resolve against the working directory; .. stops at /', () => {
    expect(resolvePath('/home/student', 'notes.txt')).toBe('/home/student/notes.txt');
    expect(resolvePath('/home/student', '../../../etc//motd')).toBe('/etc/motd');
    expect(resolvePath('/', '.')).toBe('/');
  });

  it('lookup walks directories with search permission; a file in the middle is ENOTDIR', () => {
    const v = disk();
    expect(errno(v.lookup('/', '/etc/motd/x', ROOT))).toBe('ENOTDIR');
    expect(errno(v.lookup('/', '/etc/motd/', ROOT))).toBe('ENOTDIR');
    expect(errno(v.lookup('/', '/nope', ROOT))).toBe('ENOENT');
    expect(errno(v.lookup('/', '/root/secret', STUDENT))).toBe('EACCES'); // /root is 0700
    expect(v.lookup('/', '/root/secret', ROOT)).toMatchObject({ type: 'file', size: 1 });
    expect(errno(v.lookup('/', 'x'.repeat(256), ROOT))).toBe('ENAMETOOLONG');
    expect(v.pathOf(v.lookup('/', '/home/student/..', ROOT) as never)).toBe('/home');
  });
});

describe('changes and permissions', () => {
  it('create needs write on the directory; root passes every check', () => {
    const v = disk();
    expect(errno(v.create('/', '/etc/new', 'file', 0o644, STUDENT))).toBe('EACCES');
    expect(v.create('/', '/home/student/a.txt', 'file', 0o644, STUDENT)).toMatchObject({ uid: 1000, gid: 1000, mode: 0o644 });
    expect(errno(v.create('/', '/home/student/a.txt', 'file', 0o644, STUDENT))).toBe('EEXIST');
    expect(v.create('/', '/etc/new', 'file', 0o600, ROOT)).toMatchObject({ uid: 0 });
  });

  it('unlink and rmdir: EISDIR, ENOTDIR, ENOTEMPTY, and the owner of the directory decides', () => {
    const v = disk();
    v.create('/', '/home/student/d', 'dir', 0o755, STUDENT);
    v.create('/', '/home/student/d/f', 'file', 0o644, STUDENT);
    expect(errno(v.remove('/', '/home/student/d', 'file', STUDENT))).toBe('EISDIR');
    expect(errno(v.remove('/', '/home/student/d/f', 'dir', STUDENT))).toBe('ENOTDIR');
    expect(errno(v.remove('/', '/home/student/d', 'dir', STUDENT))).toBe('ENOTEMPTY');
    expect(errno(v.remove('/', '/etc/motd', 'file', STUDENT))).toBe('EACCES');
    expect(v.remove('/', '/home/student/d/f', 'file', STUDENT)).toBe(0);
    expect(v.remove('/', '/home/student/d', 'dir', STUDENT)).toBe(0);
  });

  it('rename replaces a file, refuses a directory over a file and a directory into itself', () => {
    const v = disk();
    v.writeFile('/tmp/a', 'A');
    v.writeFile('/tmp/b', 'B');
    expect(v.rename('/', '/tmp/a', '/tmp/b', ROOT)).toBe(0);
    expect(v.readText('/tmp/b')).toBe('A');
    expect(v.lookup('/', '/tmp/a', ROOT)).toBeInstanceOf(Errno);
    v.mkdirp('/tmp/d');
    expect(errno(v.rename('/', '/tmp/d', '/tmp/b', ROOT))).toBe('ENOTDIR');
    expect(errno(v.rename('/', '/tmp/d', '/tmp/d/inner', ROOT))).toBe('EINVAL');
  });

  it('writes grow files up to the per-file and per-disk limits, writing nothing past them', () => {
    const v = disk();
    const f = v.create('/', '/tmp/big', 'file', 0o644, ROOT) as never;
    expect(errno(v.writeAt(f, FILE_MAX_BYTES, new Uint8Array(1)))).toBe('EFBIG');
    const chunk = new Uint8Array(FILE_MAX_BYTES);
    let err: unknown = null;
    for (let i = 0; i < 8 && err === null; i++) {
      const g = v.create('/', `/tmp/f${i}`, 'file', 0o644, ROOT) as never;
      const r = v.writeAt(g, 0, chunk);
      if (r instanceof Errno) err = r.name;
    }
    expect(err).toBe('ENOSPC');
    expect(v.usedBytes).toBeLessThanOrEqual(FS_MAX_BYTES);
  });

  it('seeds its contents on first use, dated at the lab start', () => {
    let seeded = 0;
    const v = new Vfs(() => 7e9, (fs) => {
      seeded++;
      fs.writeFile('/etc/hostname', 'h\n');
    });
    expect(seeded).toBe(0);
    expect(v.readText('/etc/hostname')).toBe('h\n');
    expect(v.stat(v.lookup('/', '/etc/hostname', ROOT) as never).mtimeNs).toBe(0);
    v.writeFile('/tmp/later', 'x');
    expect(v.stat(v.lookup('/', '/tmp/later', ROOT) as never).mtimeNs).toBe(7e9);
    expect(seeded).toBe(1);
  });
});

describe('disk accounting', () => {
  it('a file unlinked while open no longer counts: its later writes cannot fill the disk', () => {
    const v = disk();
    const f = v.create('/', '/tmp/gone', 'file', 0o644, ROOT) as never;
    v.writeAt(f, 0, new Uint8Array(1000));
    expect(v.usedBytes).toBe(1000 + 4); // and disk()'s /etc/motd and /root/secret
    v.remove('/', '/tmp/gone', 'file', ROOT);
    v.writeAt(f, 1000, new Uint8Array(5000));
    expect(v.usedBytes).toBe(4);
  });
});
