// Who holds which local port (Linux inet_bind_bucket / udp hash), and the bind conflict rules:
// inet_csk_bind_conflict (inet_connection_sock.c): two bindings to one port conflict when their
// addresses overlap (equal, or either is 0.0.0.0) unless both set SO_REUSEADDR and the existing one
// is not LISTEN, or both set SO_REUSEPORT. TIME_WAIT entries keep the reuse flag of their socket.
export interface PortHolder {
  readonly localAddr: number;
  readonly localPort: number;
  readonly reuseAddr: boolean;
  readonly reusePort: boolean;
  /** LISTEN always conflicts with SO_REUSEADDR; others may share. */
  readonly listening: boolean;
  /** A connect()-time ephemeral binding (Linux fastreuse -1): other connects may share the port. */
  readonly autoBound: boolean;
  /** What holds it, for error messages ("tcp 10.0.0.2:5000 LISTEN"). */
  holderName(): string;
}

export class PortTable {
  /** One holder is kept bare; a Set only once a port is shared (100k sockets each on their own port stay small). */
  private readonly byPort = new Map<number, PortHolder | Set<PortHolder>>();

  add(h: PortHolder): void {
    const cur = this.byPort.get(h.localPort);
    if (cur === undefined) this.byPort.set(h.localPort, h);
    else if (cur instanceof Set) cur.add(h);
    else if (cur !== h) this.byPort.set(h.localPort, new Set([cur, h]));
  }

  remove(h: PortHolder): void {
    const cur = this.byPort.get(h.localPort);
    if (cur === h) this.byPort.delete(h.localPort);
    else if (cur instanceof Set) {
      cur.delete(h);
      if (cur.size === 1) this.byPort.set(h.localPort, cur.values().next().value!);
    }
  }

  holders(port: number): PortHolder[] {
    const cur = this.byPort.get(port);
    return cur === undefined ? [] : cur instanceof Set ? [...cur] : [cur];
  }

  inUse(port: number): boolean {
    return this.byPort.has(port);
  }

  /** The holder that keeps (addr, port) from being bound with these flags, or undefined. */
  conflict(addr: number, port: number, reuseAddr: boolean, reusePort: boolean, self?: PortHolder): PortHolder | undefined {
    for (const h of this.holders(port)) {
      if (h === self) continue;
      const overlap = h.localAddr === 0 || addr === 0 || h.localAddr === addr;
      if (!overlap) continue;
      if (reuseAddr && h.reuseAddr && !h.listening) continue;
      if (reusePort && h.reusePort) continue;
      return h;
    }
    return undefined;
  }
}
