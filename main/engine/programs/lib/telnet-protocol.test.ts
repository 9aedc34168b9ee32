import { describe, expect, it } from 'vitest';
import {
  AYT, DO, DONT, escapeIac, IAC, IP, nvtEncode, SB, SE, subnegotiation, Telnet, TELOPT_ECHO, TELOPT_NAWS, TELOPT_SGA,
  TELOPT_TTYPE, TTYPE_IS, TTYPE_SEND, WILL, WONT, type OptionPolicy, type TelnetEvent,
} from './telnet-protocol';

const accept = (local: number[], remote: number[]): OptionPolicy => ({ local: (o) => local.includes(o), remote: (o) => remote.includes(o) });
const client = () => new Telnet(accept([TELOPT_TTYPE, TELOPT_SGA], [TELOPT_ECHO, TELOPT_SGA]));
const server = () => new Telnet(accept([TELOPT_ECHO, TELOPT_SGA], [TELOPT_TTYPE, TELOPT_SGA, TELOPT_NAWS]), { crlfToCr: true });
const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A small deterministic PRNG (xorshift32) for the property tests. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** Feed `wire` to `t` cut at random points: the parser must not care where segments end. */
function receiveInPieces(t: Telnet, wire: Uint8Array, rand: (n: number) => number) {
  const data: number[] = [];
  const events: TelnetEvent[] = [];
  for (let i = 0; i < wire.length; ) {
    const n = 1 + rand(8);
    const got = t.receive(wire.subarray(i, i + n));
    data.push(...got.data);
    events.push(...got.events);
    i += n;
  }
  return { data: Uint8Array.from(data), events };
}

describe('Telnet NVT data (RFC 854)', () => {
  it('escapeIac doubles 0xFF and leaves everything else', () => {
    expect([...escapeIac(bytes(1, 255, 2, 255, 255))]).toEqual([1, 255, 255, 2, 255, 255, 255, 255]);
    const plain = ascii('no iac here');
    expect(escapeIac(plain)).toBe(plain);
  });

  it('IAC IAC arrives as one 0xFF data byte, even when the pair is split across segments', () => {
    const t = client();
    expect([...t.receive(bytes(65, IAC)).data]).toEqual([65]);
    expect([...t.receive(bytes(IAC, 66)).data]).toEqual([255, 66]);
  });

  it('nvtEncode: a lone CR goes as CR NUL, CR LF stays, IAC is doubled', () => {
    expect([...nvtEncode(ascii('a\rb\r\nc'))]).toEqual([...ascii('a\r'), 0, ...ascii('b\r\nc')]);
    expect([...nvtEncode(bytes(13))]).toEqual([13, 0]);
    expect([...nvtEncode(bytes(255, 0))]).toEqual([255, 255, 0]);
  });

  it('round trip: any bytes, NVT-encoded and received in random pieces, come out as they went in', () => {
    const rand = rng(20260101);
    for (let round = 0; round < 300; round++) {
      const alphabet = [0, 10, 13, 255, 65, 0xc3, 0xa9, 240, 250];
      const data = Uint8Array.from({ length: rand(40) }, () => (rand(3) ? alphabet[rand(alphabet.length)]! : rand(256)));
      const t = client();
      const got = receiveInPieces(t, nvtEncode(data), rand);
      expect([...got.data]).toEqual([...data]);
      expect(got.events).toEqual([]);
    }
  });

  it('a server made for a terminal takes CR LF and CR NUL as one CR (the Return key)', () => {
    const t = server();
    expect([...t.receive(ascii('ls\r\n')).data]).toEqual([...ascii('ls\r')]);
    expect([...t.receive(ascii('pwd\r')).data]).toEqual([...ascii('pwd\r')]);
    expect([...t.receive(ascii('\nid\r')).data]).toEqual([...ascii('id\r')]);
    expect([...t.receive(bytes(0, 10)).data]).toEqual([10]);
  });

  it('commands: IAC IP and IAC AYT are events, not data', () => {
    const got = server().receive(bytes(65, IAC, IP, 66, IAC, AYT));
    expect([...got.data]).toEqual([65, 66]);
    expect(got.events).toEqual([{ kind: 'command', code: IP }, { kind: 'command', code: AYT }]);
  });

  it('subnegotiation: IAC SB TERMINAL-TYPE IS "XTERM" IAC SE, with IAC IAC inside, split anywhere', () => {
    const wire = subnegotiation(TELOPT_TTYPE, bytes(TTYPE_IS, ...ascii('X\xffTERM')));
    expect([...wire.subarray(0, 3)]).toEqual([IAC, SB, TELOPT_TTYPE]);
    expect([...wire.subarray(wire.length - 2)]).toEqual([IAC, SE]);
    const rand = rng(7);
    for (let round = 0; round < 50; round++) {
      const got = receiveInPieces(server(), wire, rand);
      expect(got.data.length).toBe(0);
      expect(got.events).toEqual([{ kind: 'sb', option: TELOPT_TTYPE, data: bytes(TTYPE_IS, ...ascii('X\xffTERM')) }]);
    }
  });
});

describe('option negotiation (RFC 855, the Q method of RFC 1143)', () => {
  it('WILL ECHO from the server: the client agrees once (DO ECHO) and ignores a repeat (no loop)', () => {
    const t = client();
    const first = t.receive(bytes(IAC, WILL, TELOPT_ECHO));
    expect([...first.reply]).toEqual([IAC, DO, TELOPT_ECHO]);
    expect(first.events).toEqual([{ kind: 'enabled', side: 'remote', option: TELOPT_ECHO }]);
    expect(t.options.remote(TELOPT_ECHO)).toBe(true);
    const again = t.receive(bytes(IAC, WILL, TELOPT_ECHO));
    expect(again.reply.length).toBe(0);
    expect(again.events).toEqual([]);
  });

  it('refusals: DO for an option we do not have gets WONT; WILL for one we do not want gets DONT', () => {
    const t = client();
    expect([...t.receive(bytes(IAC, DO, TELOPT_NAWS)).reply]).toEqual([IAC, WONT, TELOPT_NAWS]);
    expect([...t.receive(bytes(IAC, WILL, 0)).reply]).toEqual([IAC, DONT, 0]);
    // Being told not to use something that is off needs no answer.
    expect(t.receive(bytes(IAC, DONT, TELOPT_NAWS, IAC, WONT, 0)).reply.length).toBe(0);
  });

  it('WONT ECHO after WILL ECHO: the client acknowledges with DONT and the echo option ends', () => {
    const t = client();
    t.receive(bytes(IAC, WILL, TELOPT_ECHO));
    const off = t.receive(bytes(IAC, WONT, TELOPT_ECHO));
    expect([...off.reply]).toEqual([IAC, DONT, TELOPT_ECHO]);
    expect(off.events).toEqual([{ kind: 'disabled', side: 'remote', option: TELOPT_ECHO }]);
  });

  it('a request answered: WANTYES then YES, without a reply to the answer', () => {
    const t = server();
    expect([...t.requestLocal(TELOPT_ECHO, true)]).toEqual([IAC, WILL, TELOPT_ECHO]);
    expect(t.options.localState(TELOPT_ECHO)).toBe('WANTYES');
    expect(t.options.pending).toBe(true);
    const got = t.receive(bytes(IAC, DO, TELOPT_ECHO));
    expect(got.reply.length).toBe(0);
    expect(got.events).toEqual([{ kind: 'enabled', side: 'local', option: TELOPT_ECHO }]);
    expect(t.options.pending).toBe(false);
    expect(t.requestLocal(TELOPT_ECHO, true).length).toBe(0); // already on
  });

  it('a change of mind while a request is out is queued (WANTYES + OPPOSITE) and sent when the answer comes', () => {
    const t = client();
    expect([...t.requestRemote(TELOPT_SGA, true)]).toEqual([IAC, DO, TELOPT_SGA]);
    expect(t.requestRemote(TELOPT_SGA, false).length).toBe(0); // queued, nothing sent yet
    const yes = t.receive(bytes(IAC, WILL, TELOPT_SGA));
    expect([...yes.reply]).toEqual([IAC, DONT, TELOPT_SGA]);
    expect(t.options.remoteState(TELOPT_SGA)).toBe('WANTNO');
    t.receive(bytes(IAC, WONT, TELOPT_SGA));
    expect(t.options.remoteState(TELOPT_SGA)).toBe('NO');
  });

  it('both ends asking at once settle in a bounded exchange, both agreeing', () => {
    const a = server();
    const b = client();
    // telnetd's opening and netkit telnet's opening cross on the wire.
    let toB = [a.requestRemote(TELOPT_TTYPE, true), a.requestLocal(TELOPT_ECHO, true), a.requestLocal(TELOPT_SGA, true), a.requestRemote(TELOPT_SGA, true)];
    let toA = [b.requestRemote(TELOPT_SGA, true), b.requestLocal(TELOPT_TTYPE, true)];
    let rounds = 0;
    while (toA.some((x) => x.length) || toB.some((x) => x.length)) {
      const fromA = toA.map((x) => a.receive(x).reply);
      const fromB = toB.map((x) => b.receive(x).reply);
      toB = fromA;
      toA = fromB;
      expect(++rounds).toBeLessThan(4);
    }
    expect(a.options.remote(TELOPT_TTYPE) && a.options.local(TELOPT_ECHO) && a.options.local(TELOPT_SGA) && a.options.remote(TELOPT_SGA)).toBe(true);
    expect(b.options.local(TELOPT_TTYPE) && b.options.remote(TELOPT_ECHO) && b.options.remote(TELOPT_SGA) && b.options.local(TELOPT_SGA)).toBe(true);
    expect(a.options.pending || b.options.pending).toBe(false);
  });

  it('TERMINAL-TYPE SEND is framed as RFC 1091 shows it', () => {
    expect([...subnegotiation(TELOPT_TTYPE, bytes(TTYPE_SEND))]).toEqual([IAC, SB, 24, 1, IAC, SE]);
  });
});
