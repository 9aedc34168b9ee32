// The main routing table: longest-prefix match (Linux fib_lookup on the main table). Connected
// routes come from interface addresses ("proto kernel scope link"), the default route from the
// lab's gateway. Local addresses are delivered through `lo` (the local table), not listed here.
import { prefixMask } from '../../../shared/wire';
import type { RouteInfo } from './netlink';
import type { Iface } from './iface';

export interface Route {
  dst: number;
  prefix: number;
  gateway?: number;
  iface: Iface;
  src?: number;
  proto: RouteInfo['proto'];
}

/** A route with its netmask, computed once at add() rather than on every lookup. */
interface Entry {
  route: Route;
  mask: number;
}

export class RouteTable {
  private entries: Entry[] = [];

  add(r: Route): void {
    this.entries.push({ route: r, mask: prefixMask(r.prefix) });
    // Longest prefix first; stable for equal prefixes (first added wins, like metric 0 ties).
    this.entries.sort((a, b) => b.route.prefix - a.route.prefix);
  }

  /** Remove the route to exactly dst/prefix; false when there is none. */
  remove(dst: number, prefix: number): boolean {
    const i = this.entries.findIndex((e) => e.route.dst === dst && e.route.prefix === prefix);
    if (i < 0) return false;
    this.entries.splice(i, 1);
    return true;
  }

  has(dst: number, prefix: number): boolean {
    return this.entries.some((e) => e.route.dst === dst && e.route.prefix === prefix);
  }

  /** Best route to dst, or undefined (ENETUNREACH). */
  lookup(dst: number): Route | undefined {
    for (const { route, mask } of this.entries) {
      if (((dst & mask) >>> 0) === route.dst) return route;
    }
    return undefined;
  }

  list(): RouteInfo[] {
    // `ip route` prints the default route first, then the others by destination.
    const sorted = this.entries.map((e) => e.route).sort((a, b) => a.prefix === 0 ? -1 : b.prefix === 0 ? 1 : a.dst - b.dst || b.prefix - a.prefix);
    return sorted.map((r) => ({
      dst: r.dst,
      prefix: r.prefix,
      gateway: r.gateway,
      dev: r.iface.name,
      src: r.src,
      proto: r.proto,
      scope: r.gateway !== undefined ? 'global' : 'link',
    }));
  }
}
