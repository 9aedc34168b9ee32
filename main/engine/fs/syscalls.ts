// Filesystem and account syscalls (fs/open.c, fs/namei.c, fs/readdir.c, kernel/sys.c): paths are
// resolved from the caller's working directory with its credentials. Account lookups and password
// checks stand in for libc's getpwnam and PAM (users.ts says why).
import { Errno, isErr, type Kernel, type Process } from '../process';
import { O_ACCMODE, O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, type DirEntry } from '../process/syscalls';
import { RegularFile } from './file';
import type { Users } from './users';
import { resolvePath, type Vfs } from './vfs';

/** The default umask (022): new files 0644, directories 0755. */
const UMASK = 0o022;
const R = 4;
const W = 2;
const X = 1;

export function registerFsSyscalls(k: Kernel, vfs: Vfs, users: Users, log: (text: string) => void): void {
  const cred = (p: Process) => ({ uid: p.euid, gid: p.gid });

  k.register('open', (p, c) => {
    const acc = c.flags & O_ACCMODE;
    if (acc !== O_RDONLY && acc !== O_WRONLY && acc !== O_RDWR) return new Errno('EINVAL');
    const wantWrite = acc !== O_RDONLY;
    let node = vfs.lookup(p.cwd, c.path, cred(p));
    if (isErr(node)) {
      if (node.name !== 'ENOENT' || !(c.flags & O_CREAT)) return node;
      node = vfs.create(p.cwd, c.path, 'file', c.mode & ~UMASK, cred(p));
      if (isErr(node)) return node;
    } else {
      if (c.flags & O_CREAT && c.flags & O_EXCL) return new Errno('EEXIST');
      // Directories are listed with readdir, not read (Linux allows O_RDONLY on them; the lab does not).
      if (node.type === 'dir') return new Errno('EISDIR');
      if (!vfs.may(node, (acc !== O_WRONLY ? R : 0) | (wantWrite ? W : 0), cred(p))) return new Errno('EACCES');
      if (wantWrite && c.flags & O_TRUNC) vfs.truncate(node);
    }
    const file = new RegularFile(vfs, node, resolvePath(p.cwd, c.path), acc !== O_WRONLY, wantWrite, (c.flags & O_APPEND) !== 0);
    return k.install(p, file);
  });
  k.register('stat', (p, c) => {
    const node = vfs.lookup(p.cwd, c.path, cred(p));
    return isErr(node) ? node : vfs.stat(node);
  });
  k.register('readdir', (p, c) => {
    const node = vfs.lookup(p.cwd, c.path, cred(p));
    if (isErr(node)) return node;
    if (node.type !== 'dir') return new Errno('ENOTDIR');
    if (!vfs.may(node, R | X, cred(p))) return new Errno('EACCES');
    const out: DirEntry[] = [];
    for (const [name, child] of node.children!) out.push({ name, stat: vfs.stat(child) });
    return out;
  });
  k.register('mkdir', (p, c) => {
    const node = vfs.create(p.cwd, c.path, 'dir', c.mode & ~UMASK, cred(p));
    return isErr(node) ? node : 0;
  });
  k.register('unlink', (p, c) => vfs.remove(p.cwd, c.path, 'file', cred(p)));
  k.register('rmdir', (p, c) => vfs.remove(p.cwd, c.path, 'dir', cred(p)));
  k.register('rename', (p, c) => vfs.rename(p.cwd, c.from, c.to, cred(p)));
  k.register('chdir', (p, c) => {
    const node = vfs.lookup(p.cwd, c.path, cred(p));
    if (isErr(node)) return node;
    if (node.type !== 'dir') return new Errno('ENOTDIR');
    if (!vfs.may(node, X, cred(p))) return new Errno('EACCES');
    p.cwd = vfs.pathOf(node);
    return 0;
  });
  k.register('getcwd', (p) => p.cwd);
  k.register('getuid', (p) => ({ uid: p.uid, euid: p.euid, gid: p.gid }));
  k.register('setuid', (p, c) => {
    // setuid(2): with euid 0 both ids change (dropping root for good); otherwise only to the real uid.
    if (p.euid !== 0 && c.uid !== p.uid) return new Errno('EPERM');
    const pw = users.byUid(c.uid);
    p.uid = p.euid = c.uid;
    p.gid = pw?.gid ?? c.uid;
    return 0;
  });
  k.register('getpwnam', (_p, c) => users.byName(c.name) ?? new Errno('ENOENT'));
  k.register('getpwuid', (_p, c) => users.byUid(c.uid) ?? new Errno('ENOENT'));
  k.register('pam_authenticate', (_p, c) => users.authenticate(c.user, c.password) ?? new Errno('EACCES'));
  k.register('syslog', (p, c) => {
    log(`${c.tag}[${p.pid}]: ${c.text}`);
    return 0;
  });
}
