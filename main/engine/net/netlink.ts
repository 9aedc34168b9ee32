// What `ip` and `arp` read from the kernel (Linux: rtnetlink dumps RTM_GETLINK/ADDR/ROUTE/NEIGH).

/** Linux neighbour states (include/uapi/linux/neighbour.h NUD_*). */
export type NeighState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT';

export interface LinkInfo {
  index: number;
  name: string;
  mac: number;
  mtu: number;
  adminUp: boolean;
  carrier: boolean;
  loopback: boolean;
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
}

export interface AddrInfo {
  index: number;
  dev: string;
  addr: number;
  prefix: number;
  scope: 'host' | 'global';
}

export interface RouteInfo {
  dst: number;
  prefix: number;
  gateway?: number;
  dev: string;
  src?: number;
  proto: 'kernel' | 'boot' | 'static';
  scope: 'link' | 'global' | 'host';
}

export interface NeighInfo {
  addr: number;
  dev: string;
  mac?: number;
  state: NeighState;
}
