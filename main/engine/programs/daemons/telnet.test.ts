import { describe, expect, it } from 'vitest';
import type { ResolvedMachine } from '../../../../shared/lab/types';
import type { Machine } from '../../machine';
import { INIT_PID, Tty, type Program } from '../../process';
import { SEC } from '../../sim';
import { MemorySink, twoHosts } from '../../test/lab-fixtures';
import { ScriptRunner } from '../../script';
import { World } from '../../world';
import { telnet } from '../clients/telnet';
import { httpd } from './httpd';
import { telnetd } from './telnetd';

interface Step {
  at: number;
  on: string;
  run: string;
  input?: string[];
}

/**
 * runSteps (test/script-run.ts) with telnet and telnetd installed and the daemons started at boot:
 * a lab script types each command on a terminal of its own and answers prompts with `input`.
 */
function runLab(steps: Step[], opts: { until?: number; server?: Partial<ResolvedMachine>; daemons?: string[][] } = {}) {
  const spec = twoHosts(steps.map((s) => ({ atNs: s.at * SEC, on: s.on, run: s.run, input: s.input ?? [] })));
  Object.assign(spec.machines[1]!, opts.server ?? {});
  const sink = new MemorySink();
  const world = new World(spec, sink, { telnet, telnetd });
  const server = world.machine('server')!;
  for (const argv of opts.daemons ?? [['telnetd', '-p', '23']]) server.kernel.startProgram(argv, argv[0] === 'httpd' ? httpd : telnetd);
  const script = new ScriptRunner(world, world.lab.script);
  world.sched.runUntil((opts.until ?? Math.max(...steps.map((s) => s.at)) + 30) * SEC);
  const out = script.runs.map((r) => r.output.replace(/\r\n/g, '\n'));
  return { world, sink, server, client: world.machine('client')!, out, done: script.runs.map((r) => r.finishedAt !== null) };
}

/**
 * A terminal of our own running one program, for tests that type at given times (Ctrl-C in the
 * middle of a command) or kill the program. The screen is what it showed, with LF line ends.
 */
function onTerminal(machine: Machine, argv: string[], program: Program) {
  let screen = '';
  const tty: Tty = new Tty('/dev/pts/9', {
    output: (s) => {
      screen += s;
    },
    interrupt: (pid) => machine.kernel.signal(pid, 'SIGINT'),
  });
  const of = machine.kernel.open(tty);
  const proc = machine.kernel.startProgram(argv, program, INIT_PID, [of, of, of]);
  tty.foreground = proc.pid;
  return {
    tty,
    proc,
    get screen() {
      return screen.replace(/\r\n/g, '\n');
    },
  };
}

function lab() {
  const sink = new MemorySink();
  const world = new World(twoHosts(), sink);
  return { world, sink, client: world.machine('client')!, server: world.machine('server')! };
}

function startTelnetd(server: Machine) {
  return server.kernel.startProgram(['telnetd', '-p', '23'], telnetd);
}

/** Where `needle` occurs in `hay`, or -1. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** TCP payloads of the frames `machine` sent to port `dst` (0: any) from port `src` (Ethernet + IPv4 + TCP). */
function tcpPayloads(sink: MemorySink, machine: string, dst: number, src = 0): Uint8Array[] {
  const port = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
  return sink.frames
    .filter((f) => f.machine === machine && f.first && f.bytes[23] === 6 && (!dst || port(f.bytes, 36) === dst) && (!src || port(f.bytes, 34) === src))
    .map((f) => {
      const ip = 14 + (f.bytes[14]! & 0x0f) * 4;
      const tcp = ip + (f.bytes[ip + 12]! >> 4) * 4;
      const total = (f.bytes[16]! << 8) | f.bytes[17]!;
      return f.bytes.slice(tcp, 14 + total);
    })
    .filter((p) => p.length > 0);
}

const serverLog = (sink: MemorySink) => sink.events.filter((e) => e.machine === 'server' && e.type === 'log').map((e) => e.text);

const BANNER = "Trying 10.0.0.2...\nConnected to 10.0.0.2.\nEscape character is '^]'.\n";

describe('telnet and telnetd', () => {
  it('a lab script logs in as student, runs whoami and exit; the server echoes; the session leaves nothing behind', () => {
    const r = runLab([
      { at: 1, on: 'client', run: 'telnet 10.0.0.2', input: ['student', 'student', 'whoami', 'exit'] },
      { at: 20, on: 'server', run: 'ps -ef' },
    ]);
    expect(r.done).toEqual([true, true]);
    expect(r.out[0]).toBe(
      BANNER +
        '\nserver login: student\nPassword: \n' +
        'Welcome to server, a Packet Lab machine.\nserver$ whoami\nstudent\nserver$ exit\n' +
        'Connection closed by foreign host.\n',
    );
    expect(serverLog(r.sink).some((t) => /^telnetd\[\d+\]: LOGIN ON pts\/\d+ BY student FROM 10\.0\.0\.1$/.test(t))).toBe(true);
    expect(r.out[1]).toMatch(/\nroot +\d+ +1 .* telnetd -p 23\n/);
    expect(r.out[1]).not.toMatch(/login|telnetd: 10/);
    expect(r.server.processes().map((p) => p.argv.join(' '))).toEqual(['init', 'telnetd -p 23']);
  });

  it('opens with DO TERMINAL-TYPE, DO NAWS, WILL ECHO, WILL SGA, DO SGA; the client answers and gives its terminal type', () => {
    const r = runLab([{ at: 1, on: 'client', run: 'telnet 10.0.0.2', input: ['student', 'student', 'exit'] }]);
    const fromServer = tcpPayloads(r.sink, 'server', 0, 23);
    expect([...fromServer[0]!]).toEqual([255, 253, 24, 255, 253, 31, 255, 251, 1, 255, 251, 3, 255, 253, 3]);
    const fromClient = tcpPayloads(r.sink, 'client', 23);
    expect([...fromClient[0]!]).toEqual([255, 253, 3, 255, 251, 24]); // netkit's opening: DO SGA, WILL TERMINAL-TYPE
    const all = Uint8Array.from(fromClient.flatMap((p) => [...p]));
    expect(indexOfBytes(all, Uint8Array.of(255, 253, 1))).toBeGreaterThanOrEqual(0); // DO ECHO
    expect(indexOfBytes(all, Uint8Array.of(255, 252, 31))).toBeGreaterThanOrEqual(0); // WONT NAWS
    expect(indexOfBytes(all, Uint8Array.of(255, 250, 24, 0, ...ascii('XTERM'), 255, 240))).toBeGreaterThanOrEqual(0);
    const fromServerAll = Uint8Array.from(fromServer.flatMap((p) => [...p]));
    expect(indexOfBytes(fromServerAll, Uint8Array.of(255, 250, 24, 1, 255, 240))).toBeGreaterThanOrEqual(0); // SB TTYPE SEND
    // The prompt comes once the negotiation has settled.
    expect(indexOfBytes(fromServerAll, ascii('\r\nserver login: '))).toBeGreaterThan(indexOfBytes(fromServerAll, Uint8Array.of(255, 250, 24, 1)));
  });

  it('the password crosses the network in plaintext: its bytes are in a captured frame, though never on the screen', () => {
    const r = runLab([{ at: 1, on: 'client', run: 'telnet 10.0.0.2', input: ['student', 'hunter2!', 'exit'] }], {
      server: { users: [{ name: 'student', password: 'hunter2!' }] },
    });
    expect(r.out[0]).toContain('Password: \nWelcome to server');
    expect(r.out[0]).not.toContain('hunter2!');
    const frames = r.sink.frames.filter((f) => f.machine === 'client' && indexOfBytes(f.bytes, ascii('hunter2!\r\n')) >= 0);
    expect(frames.length).toBeGreaterThan(0);
    expect(tcpPayloads(r.sink, 'client', 23).some((p) => indexOfBytes(p, ascii('hunter2!\r\n')) === 0)).toBe(true);
  });

  it('a wrong password gives "Login incorrect" and a new prompt; the third failure closes the connection', () => {
    const r = runLab([{ at: 1, on: 'client', run: 'telnet 10.0.0.2', input: ['student', 'wrong', 'root', 'nope', 'nobody', 'x'] }]);
    expect(r.out[0]).toBe(
      BANNER +
        '\nserver login: student\nPassword: \nLogin incorrect\n' +
        '\nserver login: root\nPassword: \nLogin incorrect\n' +
        '\nserver login: nobody\nPassword: \nLogin incorrect\n' +
        'Connection closed by foreign host.\n',
    );
    const log = serverLog(r.sink);
    expect(log.some((t) => t.endsWith('FAILED LOGIN 1 FROM 10.0.0.1 FOR student, Authentication failure'))).toBe(true);
    expect(log.some((t) => t.endsWith('TOO MANY LOGIN TRIES (3) FROM 10.0.0.1 FOR nobody, Authentication failure'))).toBe(true);
    expect(log.some((t) => t.includes('wrong'))).toBe(false); // passwords are never logged
  });

  it('after a failure (and its 3 s FAIL_DELAY) the right password still logs in', () => {
    // The script types the next lines while the server is quiet in FAIL_DELAY: they wait in the
    // socket (type-ahead) and the server echoes them when it reads them, after its prompts.
    const r = runLab([{ at: 1, on: 'client', run: 'telnet 10.0.0.2', input: ['student', 'oops', 'student', 'student'] }], { until: 15 });
    expect(r.out[0]).toBe(`${BANNER}\nserver login: student\nPassword: \nLogin incorrect\n\nserver login: student\nPassword: \nWelcome to server, a Packet Lab machine.\nserver$ `);
    const failed = r.sink.events.find((e) => e.text.endsWith('FAILED LOGIN 1 FROM 10.0.0.1 FOR student, Authentication failure'))!;
    const ok = r.sink.events.find((e) => / LOGIN ON pts\/\d+ BY student FROM 10\.0\.0\.1$/.test(e.text))!;
    expect(ok.at - failed.at).toBeGreaterThanOrEqual(3e9);
  });

  it('telnet to a closed port: Connection refused', () => {
    const r = runLab([{ at: 1, on: 'client', run: 'telnet 10.0.0.2' }], { daemons: [] });
    expect(r.out[0]).toBe('Trying 10.0.0.2...\ntelnet: Unable to connect to remote host: Connection refused\n');
  });

  it('telnet to the HTTP port is a raw TCP client: no negotiation, the request goes as typed, the response is shown', () => {
    const r = runLab([{ at: 1, on: 'client', run: 'telnet 10.0.0.2 80', input: ['GET / HTTP/1.0', ''] }], { daemons: [['httpd', '-p', '80']] });
    const t = r.out[0]!;
    // No remote echo here: the terminal shows what is typed, as it does with any line-mode client.
    expect(t).toMatch(/^Trying 10\.0\.0\.2\.\.\.\nConnected to 10\.0\.0\.2\.\nEscape character is '\^]'\.\nGET \/ HTTP\/1\.0\n\nHTTP\/1\.1 200 OK\n/);
    expect(t).toContain('<h1>It works: server</h1>');
    expect(t).toMatch(/<\/html>\nConnection closed by foreign host\.\n$/);
    const sent = tcpPayloads(r.sink, 'client', 80).map((p) => String.fromCharCode(...p));
    expect(sent).toEqual(['GET / HTTP/1.0\r\n', '\r\n']);
  });

  it('a service name for the port; an unknown host or service is an error', () => {
    const r = runLab([
      { at: 1, on: 'client', run: 'telnet 10.0.0.2 http', input: ['HEAD / HTTP/1.0', ''] },
      { at: 5, on: 'client', run: 'telnet nosuchhost' },
      { at: 6, on: 'client', run: 'telnet 10.0.0.2 gopher' },
    ], { daemons: [['httpd', '-p', '80']] });
    expect(r.out[0]).toMatch(/^Trying 10\.0\.0\.2\.\.\.\nConnected to 10\.0\.0\.2\.\n.*\nHEAD \/ HTTP\/1\.0\n\nHTTP\/1\.1 200 OK\n/);
    expect(r.out[1]).toBe('telnet: could not resolve nosuchhost/telnet: Name or service not known\n');
    expect(r.out[2]).toBe('telnet: could not resolve 10.0.0.2/gopher: Servname not supported for ai_socktype\n');
  });

  it('Ctrl-C sends IAC IP: the remote foreground program gets SIGINT', () => {
    const { world, sink, client, server } = lab();
    startTelnetd(server);
    let term!: ReturnType<typeof onTerminal>;
    world.sched.at(1 * SEC, () => {
      term = onTerminal(client, ['telnet', '10.0.0.2'], telnet);
    });
    const typeAt = (t: number, s: string) => world.sched.at(t * SEC, () => term.tty.input(s));
    typeAt(2, 'student\r');
    typeAt(3, 'student\r');
    typeAt(4, 'ping 10.0.0.1\r');
    typeAt(7.5, '\x03');
    typeAt(9, 'exit\r');
    world.sched.runUntil(15 * SEC);
    expect(term.screen).toMatch(/server\$ ping 10\.0\.0\.1\nPING 10\.0\.0\.1 .*\n64 bytes from 10\.0\.0\.1/);
    expect(term.screen).toMatch(/--- 10\.0\.0\.1 ping statistics ---\n.*\n.*\nserver\$ exit\nConnection closed by foreign host\.\n$/);
    expect(tcpPayloads(sink, 'client', 23).some((p) => p.length === 2 && p[0] === 255 && p[1] === 244)).toBe(true);
    expect(term.proc.exit?.status).toBe(1);
    expect(term.tty.echoOn).toBe(true); // the terminal's echo is back
  });

  it('Ctrl-D at the remote prompt goes as IAC EOF: the remote shell reads end of file and the session ends', () => {
    const { world, sink, client, server } = lab();
    startTelnetd(server);
    let term!: ReturnType<typeof onTerminal>;
    world.sched.at(1 * SEC, () => {
      term = onTerminal(client, ['telnet', '10.0.0.2'], telnet);
    });
    world.sched.at(2 * SEC, () => term.tty.input('student\r'));
    world.sched.at(3 * SEC, () => term.tty.input('student\r'));
    world.sched.at(4 * SEC, () => term.tty.input('\x04'));
    world.sched.runUntil(10 * SEC);
    expect(term.screen).toMatch(/server\$ exit\nConnection closed by foreign host\.\n$/);
    expect(tcpPayloads(sink, 'client', 23).some((p) => p.length === 2 && p[0] === 255 && p[1] === 236)).toBe(true);
    expect(server.processes().map((p) => p.argv.join(' '))).toEqual(['init', 'telnetd -p 23']);
  });

  it('nobody logging in for 60 s: "Login timed out after 60 seconds." and the connection closes', () => {
    const { world, client, server } = lab();
    startTelnetd(server);
    let term!: ReturnType<typeof onTerminal>;
    world.sched.at(1 * SEC, () => {
      term = onTerminal(client, ['telnet', '10.0.0.2'], telnet);
    });
    world.sched.runUntil(70 * SEC);
    expect(term.screen).toBe(`${BANNER}\nserver login: \nLogin timed out after 60 seconds.\nConnection closed by foreign host.\n`);
    expect(term.proc.exit?.status).toBe(1);
  });

  it('the client going away (telnet killed) hangs up the session: no telnetd, login or sh is left on the server', () => {
    const { world, client, server } = lab();
    startTelnetd(server);
    let term!: ReturnType<typeof onTerminal>;
    world.sched.at(1 * SEC, () => {
      term = onTerminal(client, ['telnet', '10.0.0.2'], telnet);
    });
    world.sched.at(2 * SEC, () => term.tty.input('student\r'));
    world.sched.at(3 * SEC, () => term.tty.input('student\r'));
    let during: string[] = [];
    let echoDuring = true;
    world.sched.at(10 * SEC, () => {
      during = server.processes().map((p) => `${p.name}: ${p.argv.join(' ')}`);
      echoDuring = term.tty.echoOn;
      client.kernel.signal(term.proc.pid, 'SIGTERM');
    });
    world.sched.runUntil(20 * SEC);
    expect(during).toEqual(['init: init', 'telnetd: telnetd -p 23', 'telnetd: telnetd: 10.0.0.1', 'telnetd: login -- student', 'sh: sh']);
    expect(echoDuring).toBe(false); // the server echoes
    expect(term.proc.exit?.signal).toBe('SIGTERM');
    expect(term.tty.echoOn).toBe(true); // restored before telnet died of the signal
    expect(server.processes().map((p) => p.argv.join(' '))).toEqual(['init', 'telnetd -p 23']);
    expect(server.sockets().filter((s) => s.proto === 'tcp' && s.state !== 'LISTEN' && s.state !== 'TIME_WAIT')).toEqual([]);
  });
});
