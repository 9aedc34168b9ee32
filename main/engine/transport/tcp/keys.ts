// One machine's TCP secrets and the state the keyed kernels need (Linux: net_secret, syncookie
// secrets, table_perturb), drawn once from the machine's seeded stream so runs are reproducible.
// The arithmetic itself lives in ./kernels (isn.ts, syncookie.ts, ephemeral.ts).
import type { Rng } from '../../sim';
import {
  chooseBindPort,
  chooseConnectPort,
  cookieCheck,
  cookieInitSequence,
  cookieInitTimestamp,
  cookieTimestampDecode,
  makeTcpSecrets,
  newPerturbTable,
  secureTcpSeq,
  secureTcpTsOff,
  siphash32,
  type CookieDecodedOptions,
  type PerturbTable,
  type RandomU32,
  type TcpSecrets,
} from './kernels';

export class TcpKeys {
  private readonly secrets: TcpSecrets;
  private readonly perturb: PerturbTable = newPerturbTable();
  private readonly rand: RandomU32;

  constructor(rng: Rng) {
    this.rand = () => rng.u32();
    this.secrets = makeTcpSecrets(this.rand);
  }

  /** secure_tcp_seq for (local, remote). */
  isn(localAddr: number, localPort: number, remoteAddr: number, remotePort: number, nowNs: number): number {
    return secureTcpSeq(this.secrets, localAddr, remoteAddr, localPort, remotePort, nowNs);
  }

  /** secure_tcp_ts_off: the TS offset shared by every connection between two addresses. */
  tsOffset(localAddr: number, remoteAddr: number): number {
    return secureTcpTsOff(this.secrets, localAddr, remoteAddr);
  }

  /** The ISN of a SYN cookie answering the client's SYN (client = segment source). */
  cookie(server: { addr: number; port: number }, client: { addr: number; port: number; isn: number }, peerMss: number, nowNs: number): number {
    return cookieInitSequence(this.secrets, { srcAddr: client.addr, srcPort: client.port, dstAddr: server.addr, dstPort: server.port, seq: client.isn }, peerMss, nowNs).isn;
  }

  /** The MSS a valid cookie ACK carries, or null (forged or older than 2 minutes). */
  checkCookie(ack: { src: number; sport: number; dst: number; dport: number; seq: number; ack: number }, nowNs: number): number | null {
    const r = cookieCheck(this.secrets, { srcAddr: ack.src, srcPort: ack.sport, dstAddr: ack.dst, dstPort: ack.dport, seq: ack.seq, ack: ack.ack }, nowNs);
    return r.valid ? r.mss : null;
  }

  /** The cookie SYN-ACK's TS value: the SYN's options in the low bits, plus the offset. */
  cookieTs(nowNs: number, tsOffset: number, wscale: number | undefined, sackOk: boolean): number {
    return (cookieInitTimestamp(nowNs, { wscale, sackOk, ecnOk: false }) + tsOffset) >>> 0;
  }

  cookieTsDecode(tsEcr: number | undefined, tsOffset: number): CookieDecodedOptions | undefined {
    return cookieTimestampDecode({ sawTstamp: tsEcr !== undefined, tsEcr: tsEcr ?? 0, tsOff: tsOffset });
  }

  /** reuseport_select_sock: a keyed hash of the 4-tuple picks the group member. */
  reuseportHash(saddr: number, sport: number, daddr: number, dport: number): number {
    return siphash32(this.secrets.net, [saddr, daddr, ((sport << 16) | dport) >>> 0, 0x5eed]) >>> 0;
  }

  connectPort([low, high]: [number, number], localAddr: number, remoteAddr: number, remotePort: number, inUse: (p: number) => boolean): number | null {
    return chooseConnectPort({ secrets: this.secrets, localAddr, remoteAddr, remotePort, perturb: this.perturb, rand: this.rand, inUse, range: { low, high } }) ?? null;
  }

  bindPort([low, high]: [number, number], reuseAddr: boolean, inUse: (p: number) => boolean): number | null {
    return chooseBindPort({ rand: this.rand, inUse, reuseAddr, range: { low, high } }) ?? null;
  }
}
