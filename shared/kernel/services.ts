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
  { name: 'listen', description: 'generic TCP listener (accepts and holds connections)', daemon: 'listend', port: 9000, proto: 'tcp' },
];

export const serviceInfo = (name: string): ServiceInfo | undefined => SERVICE_CATALOG.find((s) => s.name === name);
