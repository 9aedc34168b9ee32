// A socket in an fd table (Linux: struct file whose private_data is the socket). read/write map to
// recv/send; the last close of the description closes the socket.
import { Errno, type Again, type FileObject } from '../process';
import type { WaitQueue } from '../sim';
import type { Sock } from './sock';

export class SocketFile implements FileObject {
  readonly kind = 'socket';

  constructor(readonly sock: Sock) {}

  get label(): string {
    return `socket:[${this.sock.inode}]`;
  }

  get inode(): number {
    return this.sock.inode;
  }

  get waitq(): WaitQueue {
    return this.sock.waitq;
  }

  read(max: number): Uint8Array | Errno | Again {
    return this.sock.recv(max, false);
  }

  write(data: Uint8Array | string): number | Errno | Again {
    if (typeof data === 'string') return new Errno('EINVAL');
    return this.sock.send(data);
  }

  poll(): number {
    return this.sock.poll();
  }

  release(): void {
    this.sock.close();
  }
}
