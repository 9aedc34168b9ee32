import { describe, expect, it } from 'vitest';
import { Decoder } from './decode';
import { TcpFollower, type FollowResult } from './follow';
import { tcpFrame, TcpFlag } from './test-frames';

const { SYN, ACK, PSH, FIN } = TcpFlag;
const C = 1000; // client ISN
const S = 5000; // server ISN

function follow(frames: Uint8Array[], stream = 0): FollowResult {
  const dec = new Decoder();
  const f = new TcpFollower(stream);
  frames.forEach((b, i) => f.add(i + 1, i * 1000, b, dec.decode(b)));
  return f.result();
}

const text = (r: FollowResult) => r.chunks.map((c) => `${c.fromServer ? 'S' : 'C'}#${c.no}:${String.fromCharCode(...c.bytes)}`);

const handshake = [tcpFrame(true, C, 0, SYN), tcpFrame(false, S, C + 1, SYN | ACK), tcpFrame(true, C + 1, S + 1, ACK)];

describe('TcpFollower (Wireshark Follow TCP Stream)', () => {
  it('gives each side its bytes in order, the first segment`s source as the client', () => {
    const r = follow([...handshake, tcpFrame(true, C + 1, S + 1, PSH | ACK, 'GET /'), tcpFrame(false, S + 1, C + 6, PSH | ACK, 'HTTP/1.1 200'), tcpFrame(true, C + 6, S + 13, FIN | ACK)]);
    expect([r.client, r.server]).toEqual(['10.0.0.1:40000', '10.0.0.2:80']);
    expect(text(r)).toEqual(['C#4:GET /', 'S#5:HTTP/1.1 200']);
    expect([r.clientBytes, r.serverBytes, r.frames]).toEqual([5, 12, [1, 2, 3, 4, 5, 6]]);
  });

  it('leaves a retransmission out and keeps only the new bytes of an overlapping one', () => {
    const r = follow([...handshake, tcpFrame(true, C + 1, S + 1, ACK, 'abc'), tcpFrame(true, C + 1, S + 1, ACK, 'abc'), tcpFrame(true, C + 2, S + 1, ACK, 'bcdef')]);
    expect(text(r)).toEqual(['C#4:abc', 'C#6:def']);
  });

  it('holds a segment that arrives early until the gap is filled', () => {
    const r = follow([...handshake, tcpFrame(true, C + 4, S + 1, ACK, 'def'), tcpFrame(true, C + 1, S + 1, ACK, 'abc')]);
    expect(text(r)).toEqual(['C#5:abc', 'C#4:def']);
  });

  it('marks bytes the peer acknowledged but this capture never saw', () => {
    // "abc" crossed the wire elsewhere: the server acknowledges it and "def" waits behind the gap.
    const r = follow([...handshake, tcpFrame(true, C + 4, S + 1, ACK, 'def'), tcpFrame(false, S + 1, C + 7, ACK)]);
    expect(text(r)).toEqual(['C#5:[3 bytes missing in capture file]', 'C#4:def']);
    expect(r.chunks[0]!.missing).toBe(3);
    expect(r.clientBytes).toBe(3);
  });

  it('keeps at most maxBytes of payload and still counts every byte', () => {
    const dec = new Decoder();
    const f = new TcpFollower(0, 4);
    [...handshake, tcpFrame(true, C + 1, S + 1, ACK, 'abc'), tcpFrame(true, C + 4, S + 1, ACK, 'defg')].forEach((b, i) => f.add(i + 1, 0, b, dec.decode(b)));
    const r = f.result();
    expect([text(r), r.clientBytes, r.truncated]).toEqual([['C#4:abc', 'C#5:d'], 7, true]);
  });

  it('follows only its stream (numbered as tcp.stream numbers them)', () => {
    expect(follow(handshake, 1).frames).toEqual([]);
  });
});
