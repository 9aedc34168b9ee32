// ssh2's sans-IO SSH-2 protocol core (Protocol: parse() in, onWrite() out, message handlers), driven
// from a simulated process: bytes from the simulated TCP socket are fed in, what it writes is sent
// back through the socket, and both happen inside the process's run, in virtual time. ssh2's Server
// and Client classes wrap the same core around Node streams, whose events would run outside the
// simulation; the session logic they add (authentication, channels) is in sshd.ts and ssh.ts.
// Not deterministic: key exchange, padding and host keys use real randomness (the UI says so).
import { createRequire } from 'node:module';
import { programKit } from '../../engine';

const { isErr, writeAll } = programKit;
type Sys<T> = programKit.Sys<T>;

const require = createRequire(import.meta.url);

/** The part of ssh2's Protocol (ssh2/lib/protocol/Protocol.js, pinned 1.17.0) the lab uses. */
export interface SshProtocol {
  start?: () => void;
  parse(chunk: Buffer, i: number, len: number): void;
  disconnect(reason: number): void;
  service(name: string): void;
  serviceAccept(name: string): void;
  authPassword(user: string, password: string): void;
  authSuccess(): void;
  authFailure(methods?: string[], partial?: boolean): void;
  session(chan: number, initWindow: number, maxPacket: number): void;
  channelOpenConfirm(remote: number, local: number, initWindow: number, maxPacket: number): void;
  channelOpenFail(remote: number, reason: number, desc?: string): void;
  channelData(chan: number, data: Buffer): void;
  channelEOF(chan: number): void;
  channelClose(chan: number): void;
  channelWindowAdjust(chan: number, amount: number): void;
  channelSuccess(chan: number): void;
  channelFailure(chan: number): void;
  pty(chan: number, rows: number, cols: number, height: number, width: number, term: string, modes: null, wantReply: boolean): void;
  shell(chan: number, wantReply: boolean): void;
  exec(chan: number, cmd: string, wantReply: boolean): void;
  exitStatus(chan: number, status: number): void;
  requestFailure(): void;
}

export interface SshHostKey {
  type: string;
  getPublicSSH(): Buffer;
}

const Protocol = require('ssh2/lib/protocol/Protocol.js') as new (config: Record<string, unknown>) => SshProtocol;
type KeyPair = { private: string; public: string };

const ssh2 = require('ssh2') as { utils: { parseKey(data: string | Buffer): SshHostKey | Error; generateKeyPairSync(type: 'ed25519'): KeyPair } };
export const sshUtils = ssh2.utils;

/**
 * A new ed25519 host key pair that parseKey reads back. ssh2 1.17's generateKeyPairSync strips the
 * leading zero bytes of the 32-byte public key, so about 1 pair in 256 is written short and then
 * refused as malformed (mscdex/ssh2 #1390, #1513): such a pair is drawn again. Null only if
 * `tries` pairs in a row were bad (1 in 256^16 with the real generator).
 */
export function newHostKeyPair(generate: () => KeyPair = () => ssh2.utils.generateKeyPairSync('ed25519'), tries = 16): KeyPair | null {
  for (let i = 0; i < tries; i++) {
    const pair = generate();
    // The private half holds the public key too: a short one fails there.
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  return null;
}

/** RFC 4253 §11.1 reason codes the lab sends. */
export const DISCONNECT = { PROTOCOL_ERROR: 2, BY_APPLICATION: 11, NO_MORE_AUTH_METHODS_AVAILABLE: 14 } as const;

/**
 * What both ends offer: modern algorithms OpenSSH also speaks. No chacha20-poly1305: its Poly1305
 * is a WebAssembly module ssh2 loads asynchronously, outside the simulation's run. AES-CTR with
 * HMAC first: it encrypts the packet length too, so Wireshark shows "Encrypted packet (len=N)";
 * with AES-GCM the length is in clear and Wireshark 4.0 dissects the ciphertext as garbage.
 */
const ALGORITHMS = {
  kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256'],
  serverHostKey: ['ssh-ed25519'],
  cs: { cipher: ['aes128-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'], mac: ['hmac-sha2-256', 'hmac-sha2-512'], compress: ['none'], lang: [] },
};

/** The identification string (RFC 4253 §4.2) after "SSH-2.0-". */
export const IDENT = 'PacketLab_1.0';

export class SshConn {
  readonly proto: SshProtocol;
  private out: Buffer[] = [];
  /** A fatal protocol error (the connection is unusable afterwards). */
  error: string | null = null;
  handshakeDone = false;

  constructor(config: { server: boolean; hostKeys?: Record<string, SshHostKey>; handlers: Record<string, (...args: never[]) => void>; hostVerifier?: (key: Buffer, verify: (ok: boolean) => void) => boolean | undefined }) {
    this.proto = new Protocol({
      server: config.server,
      hostKeys: config.hostKeys,
      ident: IDENT,
      offer: { ...ALGORITHMS, sc: ALGORITHMS.cs },
      messageHandlers: config.handlers,
      hostVerifier: config.hostVerifier,
      onWrite: (data: Buffer) => this.out.push(Buffer.from(data)),
      onError: (e: Error) => {
        this.error ??= e.message;
      },
      onHandshakeComplete: () => {
        this.handshakeDone = true;
      },
    });
    this.proto.start?.();
  }

  /** Bytes from the network. */
  feed(data: Uint8Array): void {
    if (this.error) return;
    try {
      this.proto.parse(Buffer.from(data.buffer, data.byteOffset, data.length), 0, data.length);
    } catch (e) {
      this.error ??= (e as Error).message;
    }
  }

  /** Run a protocol call; a throw becomes the connection's error. */
  call(f: (p: SshProtocol) => void): void {
    if (this.error) return;
    try {
      f(this.proto);
    } catch (e) {
      this.error ??= (e as Error).message;
    }
  }

  /** Send what the protocol wrote; false when the socket failed. */
  *flush(fd: number): Sys<boolean> {
    while (this.out.length) {
      const chunk = this.out.shift()!;
      const r = yield* writeAll(fd, chunk);
      if (isErr(r)) return false;
    }
    return true;
  }
}

/** One direction's flow control of a channel (RFC 4254 §5.2). */
export class ChannelWindow {
  constructor(
    /** Bytes the peer still accepts. */
    public remote: number,
    readonly remoteMaxPacket: number,
  ) {}

  /** How much of `len` bytes may go now, in packets of at most remoteMaxPacket. */
  take(len: number): number {
    const n = Math.min(len, this.remote, this.remoteMaxPacket);
    this.remote -= n;
    return n;
  }
}

export const LOCAL_WINDOW = 2 * 1024 * 1024;
export const LOCAL_MAX_PACKET = 32 * 1024;
