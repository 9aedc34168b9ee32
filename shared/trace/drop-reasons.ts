// Named drop reasons, after Linux's enum skb_drop_reason (include/net/dropreason-core.h),
// plus the link-layer ones a simulated cable/switch needs. Every drop has a name and a counter.
export const DROP_REASONS = {
  NOT_SPECIFIED: 'reason not specified',
  PKT_TOO_SMALL: 'frame too short for its headers',
  OTHERHOST: 'frame addressed to another host (MAC or IP)',
  UNHANDLED_PROTO: 'no handler for this EtherType or IP protocol',
  IP_CSUM: 'bad IPv4 header checksum',
  IP_INHDR: 'malformed IPv4 header',
  IP_NOPROTO: 'no handler for this IP protocol',
  IP_OUTNOROUTES: 'no route to the destination',
  IP_FRAG_UNSUPPORTED: 'IPv4 fragment (reassembly not implemented yet)',
  ICMP_CSUM: 'bad ICMP checksum',
  ICMP_INVALID: 'malformed ICMP message',
  ARP_INVALID: 'malformed ARP packet',
  NEIGH_FAILED: 'ARP resolution failed (no reply after retries)',
  NEIGH_QUEUEFULL: 'too many packets waiting for ARP resolution',
  NO_SOCKET: 'no socket to deliver to',
  TTL_EXPIRED: 'TTL reached zero',
  LINK_LOSS: 'lost on the link (loss probability)',
  LINK_MTU: 'frame larger than the link MTU',
  LINK_DOWN: 'link is down or the NIC is not connected',
  LINK_QUEUE_FULL: 'link transmit queue full',
  SWITCH_SAME_PORT: 'switch: destination is on the ingress port',
} as const;

export type DropReason = keyof typeof DROP_REASONS;
