// Test fixture: TCP frames between a client (10.0.0.1:40000) and a server (10.0.0.2:80), built with
// the shared/wire writers (real headers and checksums).
import { EtherType, writeEthernet } from '../wire/ethernet';
import { IpProto, writeIpv4 } from '../wire/ipv4';
import { TcpFlag, writeTcp } from '../wire/tcp';

export const CLIENT = { mac: 0x020000000001, ip: 0x0a000001, port: 40000 };
export const SERVER = { mac: 0x020000000002, ip: 0x0a000002, port: 80 };
export { TcpFlag };

export function tcpFrame(fromClient: boolean, seq: number, ack: number, flags: number, payload = ''): Uint8Array {
  const [a, b] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const data = Uint8Array.from(payload, (c) => c.charCodeAt(0));
  const buf = new Uint8Array(14 + 20 + 20 + data.length);
  buf.set(data, 54);
  writeEthernet(buf, 0, { dst: b.mac, src: a.mac, etherType: EtherType.IPV4 });
  writeTcp(buf, 34, { srcPort: a.port, dstPort: b.port, seq, ack, flags, window: 1000, payloadLength: data.length, src: a.ip, dst: b.ip });
  writeIpv4(buf, 14, { id: 1, protocol: IpProto.TCP, src: a.ip, dst: b.ip, payloadLength: 20 + data.length });
  return buf;
}
