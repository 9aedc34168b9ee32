// A layer-3 interface: a NIC (or the loopback device) with its IPv4 address (Linux net_device +
// in_device). Index 1 is always `lo`, as on Linux.
import type { Nic } from '../link';

export interface Iface {
  index: number;
  name: string;
  nic: Nic;
  loopback: boolean;
  addr?: number;
  prefix?: number;
}
