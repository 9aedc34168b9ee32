// An open regular file (struct file over an inode): its own offset, O_APPEND, and the access mode
// it was opened with. Reads and writes never block (the page cache is memory).
import { WaitQueue } from '../sim';
import { Errno } from '../process/errno';
import { POLLIN, POLLOUT, type FileObject } from '../process/file';
import { encodeUtf8 } from '../process/utf8';
import type { Inode, Vfs } from './vfs';

export class RegularFile implements FileObject {
  readonly kind = 'file';
  readonly waitq = new WaitQueue();
  private offset = 0;

  constructor(
    private readonly vfs: Vfs,
    private readonly node: Inode,
    /** What /proc/<pid>/fd and lsof show: the path it was opened by. */
    readonly label: string,
    private readonly canRead: boolean,
    private readonly canWrite: boolean,
    private readonly append: boolean,
  ) {}

  read(max: number): Uint8Array | Errno {
    if (!this.canRead) return new Errno('EBADF');
    const end = Math.min(this.node.size, this.offset + Math.max(0, max));
    const out = this.node.data.slice(Math.min(this.offset, end), end);
    this.offset = Math.max(this.offset, end);
    return out;
  }

  write(data: Uint8Array | string): number | Errno {
    if (!this.canWrite) return new Errno('EBADF');
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
    if (this.append) this.offset = this.node.size;
    const n = this.vfs.writeAt(this.node, this.offset, bytes);
    if (n instanceof Errno) return n;
    this.offset += n;
    return n;
  }

  poll(): number {
    return POLLIN | POLLOUT;
  }

  release(): void {}
}
