// The sysctls the lab's kernel has (Linux /proc/sys/net), with the defaults of the Linux 6.x the
// ground truth was captured on (../shared/linux-truth/sysctl-defaults.txt), their ranges and
// meaning. Shared by the engine (per-machine values) and the lab file (validated "sysctl" fields).

export interface SysctlSpec {
  kind: 'int' | 'range';
  default: number | [number, number];
  min: number;
  max: number;
  doc: string;
}

const int = (d: number, min: number, max: number, doc: string): SysctlSpec => ({ kind: 'int', default: d, min, max, doc });

export const SYSCTLS: Readonly<Record<string, SysctlSpec>> = {
  'net.core.somaxconn': int(4096, 0, 2147483647, 'largest listen() backlog'),
  'net.ipv4.icmp_echo_ignore_all': int(0, 0, 1, 'do not answer pings'),
  'net.ipv4.icmp_ratelimit': int(1000, 0, 2147483647, 'ms between rate-limited ICMP messages per peer'),
  'net.ipv4.icmp_ratemask': int(6168, 0, 2147483647, 'ICMP types that are rate-limited (bit per type)'),
  'net.ipv4.ip_forward': int(0, 0, 1, 'forward IPv4 packets between interfaces (1 on routers)'),
  'net.ipv4.ip_local_port_range': { kind: 'range', default: [32768, 60999], min: 1, max: 65535, doc: 'ephemeral ports for connect() and bind(0)' },
  'net.ipv4.ip_unprivileged_port_start': int(1024, 0, 65535, 'ports below this need root to bind'),
  'net.ipv4.tcp_abort_on_overflow': int(0, 0, 1, 'reset (instead of drop) a final ACK that finds the accept queue full'),
  'net.ipv4.tcp_fin_timeout': int(60, 1, 2147483647, 'seconds an orphaned FIN_WAIT2 socket lives'),
  'net.ipv4.tcp_invalid_ratelimit': int(500, 0, 2147483647, 'ms between out-of-window or challenge ACKs on one socket'),
  'net.ipv4.tcp_limit_output_bytes': int(4194304, 0, 2147483647, 'TCP Small Queues: most bytes one socket may have waiting in its NIC queue'),
  'net.ipv4.tcp_max_syn_backlog': int(2048, 1, 2147483647, 'SYN queue limit used when syncookies are off'),
  'net.ipv4.tcp_retries2': int(15, 0, 255, 'data retransmissions before giving up'),
  'net.ipv4.tcp_rfc1337': int(0, 0, 1, 'TIME_WAIT ignores RSTs (1) instead of dying (0)'),
  'net.ipv4.tcp_sack': int(1, 0, 1, 'selective acknowledgments (RFC 2018)'),
  'net.ipv4.tcp_syn_linear_timeouts': int(4, 0, 20, 'SYN retransmissions with a linear (not doubling) timeout'),
  'net.ipv4.tcp_syn_retries': int(6, 1, 127, 'SYN retransmissions (after the linear ones) before connect() fails'),
  'net.ipv4.tcp_synack_retries': int(5, 0, 255, 'SYN-ACK retransmissions before a request is dropped'),
  'net.ipv4.tcp_syncookies': int(1, 0, 2, 'send SYN cookies when the SYN queue is full (2: always)'),
  'net.ipv4.tcp_timestamps': int(1, 0, 2, 'TCP timestamps option (RFC 7323)'),
  'net.ipv4.tcp_tw_reuse': int(2, 0, 2, 'reuse TIME_WAIT 4-tuples for new connects (2: loopback only)'),
  'net.ipv4.tcp_window_scaling': int(1, 0, 1, 'window scale option (RFC 7323)'),
};

/** Parse a value for `name` as the kernel's proc handler would; an error sentence, or the numbers. */
export function parseSysctl(name: string, text: string): { value: number | [number, number] } | { error: string } {
  const s = SYSCTLS[name];
  if (!s) return { error: `unknown sysctl "${name}"` };
  const trimmed = String(text).trim();
  const range = s.kind === 'range' ? `two integers ${s.min}..${s.max}, low first` : `an integer ${s.min}..${s.max}`;
  // Number('') is 0: an empty or all-space value would otherwise read as 0.
  if (trimmed === '') return { error: `a value is required for ${name} (${range})` };
  const nums = trimmed.split(/\s+/).map(Number);
  const bad = { error: `"${text}" is not a valid value for ${name} (${range})` };
  if (nums.some((n) => !Number.isInteger(n) || n < s.min || n > s.max)) return bad;
  if (s.kind === 'int') return nums.length === 1 ? { value: nums[0]! } : bad;
  return nums.length === 2 && nums[0]! <= nums[1]! ? { value: [nums[0]!, nums[1]!] } : bad;
}
