// A machine's filesystem: an in-memory tree of inodes with Unix permissions (what FTP, HTTP, SMTP
// and the shell read and write). Semantics follow the Linux VFS where a program can tell: path
// walking needs search (x) permission on every directory, creating or removing an entry needs write
// and search on its directory, root (uid 0) passes every permission check (CAP_DAC_OVERRIDE), a
// directory must be empty to be removed, rename() replaces a file but not a directory with a file.
// No links, devices or sticky bits. Sizes are bounded so a lab cannot eat the app's memory.
import { Errno } from '../process/errno';
import type { Stat } from '../process/syscalls';
import { decodeUtf8, encodeUtf8 } from '../process/utf8';

export type InodeType = 'file' | 'dir';

export interface Inode {
  readonly ino: number;
  readonly type: InodeType;
  /** Permission bits (0o755...). */
  mode: number;
  uid: number;
  gid: number;
  mtimeNs: number;
  /** File contents (type 'file'); `size` bytes of it are valid. */
  data: Uint8Array;
  size: number;
  /** Entries (type 'dir'). */
  readonly children: Map<string, Inode> | null;
  parent: Inode | null;
}

export interface Cred {
  uid: number;
  gid: number;
}

export const NAME_MAX = 255;
export const PATH_MAX = 4096;
/** Largest file (EFBIG beyond) and all file bytes of one machine (ENOSPC beyond). */
export const FILE_MAX_BYTES = 16 * 1024 * 1024;
export const FS_MAX_BYTES = 64 * 1024 * 1024;

const W = 2;
const X = 1;
const ROOT: Cred = { uid: 0, gid: 0 };

/** The absolute, normalized form of path seen from cwd ('..' at / stays at /). */
export function resolvePath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const seg of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

export class Vfs {
  private rootNode: Inode | null = null;
  private nextIno = 2;
  private used = 0;

  /**
   * `seed` writes the initial contents on first use: a lab of 1,000 machines whose disks nobody
   * touches costs nothing.
   */
  constructor(
    private now: () => number,
    private readonly seed?: (vfs: Vfs) => void,
  ) {}

  get root(): Inode {
    if (!this.rootNode) {
      this.rootNode = this.inode('dir', 0o755, ROOT, null);
      // The initial contents date from the lab's start, whenever they are first looked at.
      const now = this.now;
      this.now = () => 0;
      try {
        this.seed?.(this);
      } finally {
        this.now = now;
      }
    }
    return this.rootNode;
  }

  /** Bytes held by all files. */
  get usedBytes(): number {
    return this.used;
  }

  // ---------------------------------------------------------------- lookups

  /** The inode at path (symlinks do not exist), checking search permission on the way. */
  lookup(cwd: string, path: string, cred: Cred): Inode | Errno {
    if (path === '') return new Errno('ENOENT');
    if (path.length > PATH_MAX) return new Errno('ENAMETOOLONG');
    let node = this.root;
    for (const seg of resolvePath(cwd, path).split('/')) {
      if (seg === '') continue;
      if (seg.length > NAME_MAX) return new Errno('ENAMETOOLONG');
      if (node.type !== 'dir') return new Errno('ENOTDIR');
      if (!this.may(node, X, cred)) return new Errno('EACCES');
      const next = node.children!.get(seg);
      if (!next) return new Errno('ENOENT');
      node = next;
    }
    // "file/" names a directory: a trailing slash on a file is ENOTDIR (path_lookupat).
    if (path.endsWith('/') && node.type !== 'dir') return new Errno('ENOTDIR');
    return node;
  }

  /** The directory that would hold path's last component, and that name. */
  parentOf(cwd: string, path: string, cred: Cred): { dir: Inode; name: string } | Errno {
    const abs = resolvePath(cwd, path);
    if (abs === '/') return new Errno('EEXIST');
    const cut = abs.lastIndexOf('/');
    const name = abs.slice(cut + 1);
    if (name.length > NAME_MAX) return new Errno('ENAMETOOLONG');
    const dir = this.lookup('/', abs.slice(0, cut) || '/', cred);
    if (dir instanceof Errno) return dir;
    if (dir.type !== 'dir') return new Errno('ENOTDIR');
    return { dir, name };
  }

  /** The canonical absolute path of a directory inode. */
  pathOf(node: Inode): string {
    const parts: string[] = [];
    for (let n: Inode | null = node; n && n.parent; n = n.parent) {
      for (const [name, child] of n.parent.children!) if (child === n) parts.unshift(name);
    }
    return '/' + parts.join('/');
  }

  stat(node: Inode): Stat {
    let nlink = 1;
    if (node.children) {
      nlink = 2;
      for (const c of node.children.values()) if (c.type === 'dir') nlink++;
    }
    return { ino: node.ino, type: node.type, mode: node.mode, uid: node.uid, gid: node.gid, size: node.size, mtimeNs: node.mtimeNs, nlink };
  }

  /** Permission check (generic_permission): root passes; else owner, group or other bits. */
  may(node: Inode, want: number, cred: Cred): boolean {
    if (cred.uid === 0) return true;
    const bits = cred.uid === node.uid ? node.mode >> 6 : cred.gid === node.gid ? node.mode >> 3 : node.mode;
    return (bits & want) === want;
  }

  // ---------------------------------------------------------------- changes

  /** A new, empty file or directory at path (EEXIST when something is there). */
  create(cwd: string, path: string, type: InodeType, mode: number, cred: Cred): Inode | Errno {
    const p = this.parentOf(cwd, path, cred);
    if (p instanceof Errno) return p;
    if (!this.may(p.dir, W | X, cred)) return new Errno('EACCES');
    if (p.dir.children!.has(p.name)) return new Errno('EEXIST');
    const node = this.inode(type, mode & 0o777, cred, p.dir);
    p.dir.children!.set(p.name, node);
    p.dir.mtimeNs = this.now();
    return node;
  }

  /** unlink (files) or rmdir (empty directories). */
  remove(cwd: string, path: string, type: InodeType, cred: Cred): 0 | Errno {
    const p = this.parentOf(cwd, path, cred);
    if (p instanceof Errno) return p;
    const node = p.dir.children!.get(p.name);
    if (!node) return new Errno('ENOENT');
    if (type === 'file' && node.type === 'dir') return new Errno('EISDIR');
    if (type === 'dir' && node.type !== 'dir') return new Errno('ENOTDIR');
    if (type === 'dir' && node.children!.size > 0) return new Errno('ENOTEMPTY');
    if (!this.may(p.dir, W | X, cred)) return new Errno('EACCES');
    p.dir.children!.delete(p.name);
    p.dir.mtimeNs = this.now();
    node.parent = null;
    this.used -= node.size;
    return 0;
  }

  rename(cwd: string, from: string, to: string, cred: Cred): 0 | Errno {
    const a = this.parentOf(cwd, from, cred);
    if (a instanceof Errno) return a;
    const node = a.dir.children!.get(a.name);
    if (!node) return new Errno('ENOENT');
    const b = this.parentOf(cwd, to, cred);
    if (b instanceof Errno) return b;
    if (!this.may(a.dir, W | X, cred) || !this.may(b.dir, W | X, cred)) return new Errno('EACCES');
    // A directory cannot move into itself (EINVAL, like vfs_rename's loop check).
    for (let d: Inode | null = b.dir; d; d = d.parent) if (d === node) return new Errno('EINVAL');
    const old = b.dir.children!.get(b.name);
    if (old === node) return 0;
    if (old) {
      if (old.type === 'dir' && node.type !== 'dir') return new Errno('EISDIR');
      if (old.type !== 'dir' && node.type === 'dir') return new Errno('ENOTDIR');
      if (old.type === 'dir' && old.children!.size > 0) return new Errno('ENOTEMPTY');
      this.used -= old.size;
      old.parent = null;
    }
    a.dir.children!.delete(a.name);
    b.dir.children!.set(b.name, node);
    node.parent = b.dir;
    a.dir.mtimeNs = b.dir.mtimeNs = this.now();
    return 0;
  }

  /** Write bytes at offset (growing the file); EFBIG/ENOSPC past the limits, nothing written then. */
  writeAt(node: Inode, offset: number, src: Uint8Array): number | Errno {
    const end = offset + src.length;
    if (end > FILE_MAX_BYTES) return new Errno('EFBIG');
    const grow = Math.max(0, end - node.size);
    if (node.parent && this.used + grow > FS_MAX_BYTES) return new Errno('ENOSPC');
    if (end > node.data.length) {
      const next = new Uint8Array(Math.min(FILE_MAX_BYTES, Math.max(end, node.data.length * 2, 256)));
      next.set(node.data.subarray(0, node.size));
      node.data = next;
    }
    node.data.set(src, offset);
    node.size += grow;
    // A file unlinked while open (no parent) no longer counts towards the disk's bytes.
    if (node.parent) this.used += grow;
    node.mtimeNs = this.now();
    return src.length;
  }

  truncate(node: Inode): void {
    if (node.parent) this.used -= node.size;
    node.size = 0;
    node.data = new Uint8Array(0);
    node.mtimeNs = this.now();
  }

  // ---------------------------------------------------------------- seeding (no permission checks)

  /** mkdir -p as root, then give the last directory its owner and mode. */
  mkdirp(path: string, owner: Cred = ROOT, mode = 0o755): Inode {
    const node = this.ensureDir(path);
    node.uid = owner.uid;
    node.gid = owner.gid;
    node.mode = mode;
    return node;
  }

  /** The directory at path, creating missing ones (root, 0755); existing ones are left as they are. */
  private ensureDir(path: string): Inode {
    let node = this.root;
    for (const seg of resolvePath('/', path).split('/')) {
      if (seg === '') continue;
      let next = node.children!.get(seg);
      if (!next) {
        next = this.inode('dir', 0o755, ROOT, node);
        node.children!.set(seg, next);
      }
      if (next.type !== 'dir') throw new Error(`mkdirp ${path}: ${seg} is a file`);
      node = next;
    }
    return node;
  }

  /** Create or replace a file as root (the machine's initial contents). */
  writeFile(path: string, text: string | Uint8Array, owner: Cred = ROOT, mode = 0o644): Inode {
    const abs = resolvePath('/', path);
    const dir = this.ensureDir(abs.slice(0, abs.lastIndexOf('/')) || '/');
    const name = abs.slice(abs.lastIndexOf('/') + 1);
    const old = dir.children!.get(name);
    const node = old ?? this.inode('file', mode, owner, dir);
    if (!old) dir.children!.set(name, node);
    this.truncate(node);
    const r = this.writeAt(node, 0, typeof text === 'string' ? encodeUtf8(text) : text);
    if (r instanceof Errno) throw new Error(`writeFile ${path}: ${r.message}`);
    node.uid = owner.uid;
    node.gid = owner.gid;
    node.mode = mode;
    return node;
  }

  /** A file's contents as text (for the kernel's own reads, e.g. tests). */
  readText(path: string): string | null {
    const n = this.lookup('/', path, ROOT);
    if (n instanceof Errno || n.type !== 'file') return null;
    return decodeUtf8(n.data.subarray(0, n.size));
  }

  private inode(type: InodeType, mode: number, owner: Cred, parent: Inode | null): Inode {
    return {
      ino: this.nextIno++,
      type,
      mode,
      uid: owner.uid,
      gid: owner.gid,
      mtimeNs: this.now(),
      data: new Uint8Array(0),
      size: 0,
      children: type === 'dir' ? new Map() : null,
      parent,
    };
  }
}
