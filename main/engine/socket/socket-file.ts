// A socket in an fd table (Linux: struct file whose private_data is the socket). read/write map to
// recv/send; the last close of the description closes the socket.
import type { Again, Errno, FileObject } from '../process';
import { encodeUtf8 } from '../process/utf8';
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

  /** Text (the syscall API's convenience for programs' output) goes as UTF-8; the count is in bytes. */
  write(data: Uint8Array | string): number | Errno | Again {
    return this.sock.send(typeof data === 'string' ? encodeUtf8(data) : data);
  }

  poll(): number {
    return this.sock.poll();
  }

  release(): void {
    this.sock.close();
  }
}
