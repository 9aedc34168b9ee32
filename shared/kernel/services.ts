// The services a lab machine can run: what the `service` command, the lab file's "services" and the
// UI's Services menu offer. One list for all three (main/engine/programs/service.ts starts them).

export interface ServiceInfo {
  /** The name `service NAME start` and the lab file use. */
  name: string;
  description: string;
  /** The program that serves it (what ps and ss -p show). */
  daemon: string;
  /** Well-known port (IANA) used when none is given. */
  port: number;
  proto: 'tcp' | 'udp' | 'tcp+udp';
}

export const SERVICE_CATALOG: readonly ServiceInfo[] = [
  { name: 'echo', description: 'echo service (RFC 862)', daemon: 'echod', port: 7, proto: 'tcp+udp' },
  { name: 'ftp', description: 'FTP server (active and passive; data from port 20)', daemon: 'ftpd', port: 21, proto: 'tcp' },
  { name: 'http', description: 'HTTP server', daemon: 'httpd', port: 80, proto: 'tcp' },
  { name: 'ssh', description: 'SSH server (encrypted logins)', daemon: 'sshd', port: 22, proto: 'tcp' },
  { name: 'telnet', description: 'Telnet server (plaintext logins)', daemon: 'telnetd', port: 23, proto: 'tcp' },
  { name: 'smtp', description: 'SMTP mail server', daemon: 'smtpd', port: 25, proto: 'tcp' },
  { name: 'dns', description: 'DNS server (authoritative for the lab zone, /etc/dnsd/zone)', daemon: 'dnsd', port: 53, proto: 'tcp+udp' },
  { name: 'listen', description: 'generic TCP listener (accepts and holds connections)', daemon: 'listend', port: 9000, proto: 'tcp' },
];

export const serviceInfo = (name: string): ServiceInfo | undefined => SERVICE_CATALOG.find((s) => s.name === name);
