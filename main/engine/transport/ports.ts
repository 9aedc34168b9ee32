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
  private readonly byPort = new Map<number, Set<PortHolder>>();

  add(h: PortHolder): void {
    let s = this.byPort.get(h.localPort);
    if (!s) this.byPort.set(h.localPort, (s = new Set()));
    s.add(h);
  }

  remove(h: PortHolder): void {
    const s = this.byPort.get(h.localPort);
    if (!s) return;
    s.delete(h);
    if (s.size === 0) this.byPort.delete(h.localPort);
  }

  holders(port: number): PortHolder[] {
    return [...(this.byPort.get(port) ?? [])];
  }

  inUse(port: number): boolean {
    return this.byPort.has(port);
  }

  /** The holder that keeps (addr, port) from being bound with these flags, or undefined. */
  conflict(addr: number, port: number, reuseAddr: boolean, reusePort: boolean, self?: PortHolder): PortHolder | undefined {
    for (const h of this.byPort.get(port) ?? []) {
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
