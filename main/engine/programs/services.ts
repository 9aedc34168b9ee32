// /etc/services: getservbyport/getservbyname for the socket tools (ss, netstat, lsof, nc).

/** The lab's /etc/services (the entries of Debian's netbase for the services the lab runs). */
export const SERVICES: readonly [name: string, port: number, protos: readonly string[]][] = [
  ['echo', 7, ['tcp', 'udp']],
  ['ftp-data', 20, ['tcp']],
  ['ftp', 21, ['tcp']],
  ['ssh', 22, ['tcp']],
  ['telnet', 23, ['tcp']],
  ['smtp', 25, ['tcp']],
  ['domain', 53, ['tcp', 'udp']],
  ['bootps', 67, ['udp']],
  ['bootpc', 68, ['udp']],
  ['http', 80, ['tcp']],
  ['ntp', 123, ['udp']],
  ['https', 443, ['tcp', 'udp']],
];

/** getservbyport(port, proto): the service name, or undefined. */
export function serviceName(port: number, proto: string): string | undefined {
  return SERVICES.find(([, p, protos]) => p === port && protos.includes(proto))?.[0];
}

/** getservbyname(name, proto): the port, or undefined. */
export function servicePort(name: string, proto: string): number | undefined {
  return SERVICES.find(([n, , protos]) => n === name && protos.includes(proto))?.[1];
}
