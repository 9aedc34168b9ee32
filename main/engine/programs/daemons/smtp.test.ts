import { describe, expect, it } from 'vitest';
import { INIT_PID, isErr, sys, Tty, type Process, type Program, type Sys } from '../../process';
import { decodeUtf8, encodeUtf8 } from '../../process/utf8';
import { SEC } from '../../sim';
import { MemorySink, twoHosts } from '../../test/lab-fixtures';
import { World } from '../../world';
import { mail, sendmail } from '../clients/mail';
import { parsePath, smtpd, splitAddress } from './smtpd';

const SERVER = 0x0a000002;

/** A two-host lab (client 10.0.0.1, server 10.0.0.2) with smtpd started on the server at time 0. */
function lab(smtpdArgs: string[] = []) {
  const sink = new MemorySink();
  const world = new World(twoHosts(), sink);
  world.machine('server')!.kernel.startProgram(['smtpd', '-p', '25', ...smtpdArgs], smtpd);
  return { world, sink };
}

interface TtyRun {
  /** What the terminal showed (LF line ends; typed lines are echoed). */
  output: string;
  proc: Process | null;
}

/**
 * Run a program at time `at` on a terminal of its own (the shell cannot start it before it is
 * registered), typing each input line when it waits for one, as the script runner does; `eof`
 * types Ctrl-D after the last. `uid` runs it as that user (1000 is student).
 */
function onTty(world: World, machine: string, at: number, argv: string[], program: Program, opts: { input?: string[]; uid?: number; eof?: boolean } = {}): TtyRun {
  const run: TtyRun = { output: '', proc: null };
  world.sched.at(at * SEC, () => {
    const inputs = [...(opts.input ?? [])];
    let pending = false;
    let eofSent = false;
    const tty: Tty = new Tty('/dev/pts/test', {
      output: (s) => {
        run.output += s.replace(/\r\n/g, '\n');
      },
      interrupt: () => {},
      readerWaiting: () => {
        if (pending || tty.hasInput) return;
        const line = inputs.shift();
        const data = line !== undefined ? `${line}\r` : opts.eof && !eofSent ? '\x04' : null;
        if (data === null) return;
        if (line === undefined) eofSent = true;
        pending = true;
        world.sched.after(0, () => {
          pending = false;
          tty.input(data);
        });
      },
    });
    const k = world.machine(machine)!.kernel;
    const of = k.open(tty);
    const p = k.startProgram(argv, program, INIT_PID, [of, of, of]);
    if (opts.uid !== undefined) p.uid = p.euid = p.gid = opts.uid;
    run.proc = p;
  });
  return run;
}

/**
 * A raw SMTP client on the client machine: after the greeting, send each chunk and read one whole
 * reply (multi-line replies included). The transcript has "C: " and "S: " lines.
 */
function talk(world: World, at: number, chunks: string[], opts: { closeAfter?: boolean } = {}): { transcript: string; replies: string[] } {
  const res = { transcript: '', replies: [] as string[] };
  world.sched.at(at * SEC, () => {
    world.machine('client')!.kernel.startProgram(['talk'], function* (): Sys<number> {
      const fd = (yield* sys.socket('stream', 'tcp')) as number;
      if (isErr(yield* sys.connect(fd, SERVER, 25))) return 1;
      let buf = '';
      function* reply(): Sys<string | null> {
        for (;;) {
          const m = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(buf);
          if (m) {
            buf = buf.slice(m[0].length);
            return m[0];
          }
          const d = yield* sys.recv(fd);
          if (isErr(d) || d.length === 0) return null;
          buf += decodeUtf8(d);
        }
      }
      const hello = yield* reply();
      res.transcript += `S: ${hello}`;
      for (const c of chunks) {
        res.transcript += `C: ${c}`;
        yield* sys.send(fd, encodeUtf8(c));
        if (opts.closeAfter && c === chunks[chunks.length - 1]) break;
        const r = yield* reply();
        if (r === null) break;
        res.replies.push(r.replace(/\r\n$/, ''));
        res.transcript += `S: ${r}`;
      }
      yield* sys.close(fd);
      return 0;
    });
  });
  return res;
}

const mailbox = (world: World, user: string) => world.machine('server')!.fs.readText(`/var/mail/${user}`);

/** TCP payload of the frames one machine sent and received, per direction (no loss on this link, so no retransmissions). */
function streams(sink: MemorySink, machine: string, port: number): { toServer: string; toClient: string } {
  let toServer = '';
  let toClient = '';
  for (const f of sink.frames) {
    const b = f.bytes;
    if (f.machine !== machine || b[12] !== 0x08 || b[13] !== 0x00 || b[23] !== 6) continue;
    const ihl = (b[14]! & 15) * 4;
    const tcp = 14 + ihl;
    const total = (b[16]! << 8) | b[17]!;
    const payload = b.subarray(tcp + (b[tcp + 12]! >> 4) * 4, 14 + total);
    if (payload.length === 0) continue;
    const dport = (b[tcp + 2]! << 8) | b[tcp + 3]!;
    if (dport === port) toServer += decodeUtf8(payload);
    else toClient += decodeUtf8(payload);
  }
  return { toServer, toClient };
}

describe('smtpd and mail: a message from the client to student on the server', () => {
  it('mail -s sends over SMTP; the server appends it to /var/mail/student (mbox, owned by student, 0600)', () => {
    const { world, sink } = lab();
    // The client knows the server by name only through /etc/hosts here (the test lab has no DNS server).
    world.machine('client')!.fs.writeFile('/etc/hosts', '127.0.0.1\tlocalhost\n127.0.1.1\tclient\n10.0.0.2\tserver\n');
    const first = onTty(world, 'client', 1, ['mail', '-s', 'Hello there', 'student@10.0.0.2'], mail, { input: ['Hi student,', '.a line that starts with a dot', 'From here on, an mbox trap.', '.'] });
    const second = onTty(world, 'client', 3, ['mail', '-s', 'Second', 'student@server'], mail, { input: ['Short one.'], eof: true });
    world.sched.runUntil(5 * SEC);
    expect(first.output).toBe('Hi student,\n.a line that starts with a dot\nFrom here on, an mbox trap.\n.\nEOT\n');
    expect(first.proc!.exit?.status).toBe(0);
    expect(second.output).toBe('Short one.\nEOT\n');

    const box = mailbox(world, 'student')!;
    // Two messages, each with its From line, Return-Path, our Received header, the message and a blank line.
    expect(box).toMatch(/^From root@client\.lab {2}Thu Jan {2}1 00:00:01 2026\nReturn-Path: <root@client\.lab>\nReceived: from client\.lab \(unknown \[10\.0\.0\.1\]\)\n\tby server\.lab \(PacketLab smtpd\) with ESMTP id [0-9A-F]+\n\tfor <student@\[10\.0\.0\.2\]>; Thu, 1 Jan 2026 00:00:01 \+0000\nDate: Thu, 1 Jan 2026 00:00:01 \+0000\nFrom: root@client\.lab\nTo: student@\[10\.0\.0\.2\]\nSubject: Hello there\nMessage-ID: <20260101000001\.\d+@client\.lab>\n\nHi student,\n\.a line that starts with a dot\n>From here on, an mbox trap\.\n\nFrom root@client\.lab {2}Thu Jan {2}1 00:00:03 2026\n/);
    expect(box).toContain('To: student@server\nSubject: Second\n');
    expect(box.endsWith('\nShort one.\n\n')).toBe(true);
    const st = world.machine('server')!.fs.lookup('/', '/var/mail/student', { uid: 0, gid: 0 });
    expect(isErr(st) ? null : { uid: st.uid, mode: st.mode }).toEqual({ uid: 1000, mode: 0o600 });
    expect(world.machine('server')!.fs.readText('/var/log/smtpd.log')).toMatch(/smtpd\[\d+\]: [0-9A-F]+: from=<root@client\.lab> to=<student@\[10\.0\.0\.2\]> size=\d+ status=sent \(delivered to mailbox \/var\/mail\/student\)\n/);
    // The dialogue on the wire, byte for byte (the client's side of the first connection).
    const { toServer, toClient } = streams(sink, 'client', 25);
    expect(toServer.split('QUIT\r\n')[0]).toMatch(
      /^EHLO client\.lab\r\nMAIL FROM:<root@client\.lab> SIZE=\d+\r\nRCPT TO:<student@\[10\.0\.0\.2\]>\r\nDATA\r\nDate: Thu, 1 Jan 2026 00:00:01 \+0000\r\nFrom: root@client\.lab\r\nTo: student@\[10\.0\.0\.2\]\r\nSubject: Hello there\r\nMessage-ID: <[^>]+>\r\n\r\nHi student,\r\n\.\.a line that starts with a dot\r\nFrom here on, an mbox trap\.\r\n\.\r\n$/,
    );
    expect(toClient.split('221 2.0.0 Bye\r\n')[0]).toMatch(
      /^220 server\.lab ESMTP PacketLab\r\n250-server\.lab Hello client\.lab \[10\.0\.0\.1\]\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n250 2\.1\.0 Ok\r\n250 2\.1\.5 Ok\r\n354 End data with <CR><LF>\.<CR><LF>\r\n250 2\.0\.0 Ok: queued as [0-9A-F]+\r\n$/,
    );
  });

  it('student reads the mailbox with mail: headers, a message, d, q; the next run shows what is left', () => {
    const { world } = lab();
    onTty(world, 'client', 1, ['mail', '-s', 'One', 'student@10.0.0.2'], mail, { input: ['first body', '.'] });
    onTty(world, 'client', 2, ['mail', '-s', 'Two', 'student@10.0.0.2'], mail, { input: ['second body', '.'] });
    const read = onTty(world, 'server', 4, ['mail'], mail, { uid: 1000, input: ['1', 'd 1', 'h', 'q'] });
    const again = onTty(world, 'server', 6, ['mail', '-H'], mail, { uid: 1000 });
    const empty = onTty(world, 'server', 6, ['mail'], mail, { uid: 0 });
    world.sched.runUntil(8 * SEC);
    const t = read.output;
    expect(t).toContain('"/var/mail/student": 2 messages 2 new\n');
    expect(t).toMatch(/\n>N {2}1 root@client\.lab {4}Thu Jan {2}1 00:00 +\d+\/\d+ +One\n N {2}2 root@client\.lab {4}Thu Jan {2}1 00:00 +\d+\/\d+ +Two\n\? 1\n/);
    expect(t).toMatch(/\? 1\nMessage 1:\nFrom root@client\.lab {2}Thu Jan {2}1 00:00:01 2026\nReturn-Path: <root@client\.lab>\n(.*\n)*Subject: One\n(.*\n)*\nfirst body\n\n\? d 1\n\? h\n>N {2}2 root@client\.lab .* Two\n\? q\nHeld 1 message in \/var\/mail\/student\n$/);
    expect(read.proc!.exit?.status).toBe(0);
    // Left: message 2, now seen (Status: O) but unread.
    expect(again.output).toMatch(/^>U {2}1 root@client\.lab {4}Thu Jan {2}1 00:00 +\d+\/\d+ +Two\n$/);
    expect(mailbox(world, 'student')).not.toContain('Subject: One');
    expect(mailbox(world, 'student')).toContain('Subject: Two\nMessage-ID:');
    expect(mailbox(world, 'student')).toMatch(/\nStatus: O\n\nsecond body\n\n$/);
    expect(empty.output).toBe('No mail for root\n');
  });

  it('sendmail -v prints the dialogue; several recipients share one message, postmaster is root', () => {
    const { world } = lab();
    const run = onTty(world, 'client', 1, ['sendmail', '-v', '-f', 'alice@client.lab', 'student@10.0.0.2', 'postmaster@10.0.0.2'], sendmail, {
      input: ['Subject: status report', '', 'All systems nominal.', '..', '.'],
    });
    world.sched.runUntil(4 * SEC);
    const t = run.output.replace(/^(Subject: status report\n\nAll systems nominal\.\n\.\.\n\.\n)/, '');
    expect(t).toMatch(
      /^student@\[10\.0\.0\.2\], postmaster@\[10\.0\.0\.2\]\.\.\. Connecting to \[10\.0\.0\.2\] via esmtp\.\.\.\n220 server\.lab ESMTP PacketLab\n>>> EHLO client\.lab\n250-server\.lab Hello client\.lab \[10\.0\.0\.1\]\n250-PIPELINING\n250-SIZE 10240000\n250-8BITMIME\n250-ENHANCEDSTATUSCODES\n250 HELP\n>>> MAIL FROM:<alice@client\.lab> SIZE=\d+\n250 2\.1\.0 Ok\n>>> RCPT TO:<student@\[10\.0\.0\.2\]>\n250 2\.1\.5 Ok\n>>> RCPT TO:<postmaster@\[10\.0\.0\.2\]>\n250 2\.1\.5 Ok\n>>> DATA\n354 End data with <CR><LF>\.<CR><LF>\n>>> \.\n250 2\.0\.0 Ok: queued as ([0-9A-F]+)\nstudent@\[10\.0\.0\.2\]\.\.\. Sent \(Ok: queued as \1\)\npostmaster@\[10\.0\.0\.2\]\.\.\. Sent \(Ok: queued as \1\)\nClosing connection to \[10\.0\.0\.2\]\n>>> QUIT\n221 2\.0\.0 Bye\n$/,
    );
    expect(run.proc!.exit?.status).toBe(0);
    for (const user of ['student', 'root']) {
      const box = mailbox(world, user)!;
      expect(box).toMatch(/^From alice@client\.lab {2}Thu Jan {2}1 00:00:01 2026\nReturn-Path: <alice@client\.lab>\nReceived: from client\.lab \(unknown \[10\.0\.0\.1\]\)\n\tby server\.lab \(PacketLab smtpd\) with ESMTP id [0-9A-F]+;\n\tThu, 1 Jan 2026 00:00:01 \+0000\nSubject: status report\nDate: .*\nFrom: alice@client\.lab\nTo: student@\[10\.0\.0\.2\], postmaster@\[10\.0\.0\.2\]\nMessage-ID: <.*>\n\nAll systems nominal\.\n\.\.\n\n$/);
    }
    const root = world.machine('server')!.fs.lookup('/', '/var/mail/root', { uid: 0, gid: 0 });
    expect(isErr(root) ? null : root.uid).toBe(0);
  });

  it('mail reports a refused recipient and keeps the message in ~/dead.letter', () => {
    const { world } = lab();
    const run = onTty(world, 'client', 1, ['mail', '-s', 'x', 'ghost@10.0.0.2'], mail, { input: ['lost', '.'] });
    const refused = onTty(world, 'client', 2, ['sendmail', 'someone'], sendmail, { input: ['hi'], eof: true });
    world.sched.runUntil(10 * SEC);
    expect(run.output).toMatch(/EOT\nsmtp-server: 550 5\.1\.1 <ghost@\[10\.0\.0\.2\]>: Recipient address rejected: User unknown in local recipient table\n"\/root\/dead\.letter" 7\/\d+\n\. \. \. message not sent\.\n$/);
    expect(run.proc!.exit?.status).toBe(1);
    expect(world.machine('client')!.fs.readText('/root/dead.letter')).toContain('Subject: x\n');
    expect(mailbox(world, 'ghost')).toBeNull();
    // No host: this machine, where no smtpd listens.
    expect(refused.output).toBe('hi\nsomeone@client.lab... connect to [127.0.0.1] port 25: Connection refused\n/root/dead.letter... Saved message in /root/dead.letter\n');
    expect(refused.proc!.exit?.status).toBe(75); // EX_TEMPFAIL
  });
});

describe('smtpd: replies to a raw client', () => {
  it('bad sequence, unknown command, syntax, unknown user, relay denied, VRFY, HELP, RSET', () => {
    const { world } = lab();
    const r = talk(world, 1, [
      'MAIL FROM:<a@client.lab>\r\n',
      'HELO\r\n',
      'HELO client.lab\r\n',
      'RCPT TO:<student@server.lab>\r\n',
      'DATA\r\n',
      'MAIL FROM alice\r\n',
      'MAIL FROM:<a@client.lab> SIZE=10\r\n',
      'MAIL FROM:<a@client.lab>\r\n',
      'MAIL FROM:<b@client.lab>\r\n',
      'DATA\r\n',
      'RCPT TO:<ghost@server.lab>\r\n',
      'RCPT TO:<student@example.com>\r\n',
      'RCPT TO:<not an address>\r\n',
      'RCPT TO:<Student@[10.0.0.2]>\r\n',
      'VRFY student\r\n',
      'EXPN staff\r\n',
      'BOGUS\r\n',
      'RSET\r\n',
      'RCPT TO:<student>\r\n',
      'MAIL FROM:<>\r\n',
      'RCPT TO:<student>\r\n',
      'HELP\r\n',
      'NOOP\r\n',
      'QUIT\r\n',
    ]);
    world.sched.runUntil(5 * SEC);
    expect(r.replies).toEqual([
      '503 5.5.1 Error: send HELO/EHLO first',
      '501 Syntax: HELO hostname',
      '250 server.lab Hello client.lab [10.0.0.1]',
      '503 5.5.1 Error: need MAIL command',
      '503 5.5.1 Error: need RCPT command',
      '501 5.5.4 Syntax: MAIL FROM:<address>',
      '555 5.5.4 Unsupported option: SIZE=10', // parameters need EHLO (RFC 5321 §4.1.1.11)
      '250 2.1.0 Ok',
      '503 5.5.1 Error: nested MAIL command',
      '554 5.5.1 Error: no valid recipients',
      '550 5.1.1 <ghost@server.lab>: Recipient address rejected: User unknown in local recipient table',
      '554 5.7.1 <student@example.com>: Relay access denied',
      '501 5.1.3 Bad recipient address syntax',
      '250 2.1.5 Ok',
      '252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery',
      '502 5.5.1 Error: command not implemented',
      '500 5.5.2 Error: command not recognized',
      '250 2.0.0 Ok',
      '503 5.5.1 Error: need MAIL command',
      '250 2.1.0 Ok',
      '250 2.1.5 Ok',
      '214-2.0.0 Commands supported:\r\n214-2.0.0   HELO EHLO MAIL RCPT DATA\r\n214-2.0.0   RSET NOOP VRFY HELP QUIT\r\n214 2.0.0 See RFC 5321',
      '250 2.0.0 Ok',
      '221 2.0.0 Bye',
    ]);
    expect(world.machine('server')!.fs.readText('/var/log/smtpd.log')).toMatch(/disconnect from unknown\[10\.0\.0\.1\] mail=6 helo=2 rcpt=7 data=2 vrfy=1 unknown=2 rset=1 help=1 noop=1 quit=1 commands=24\n$/);
  });

  it('over-long lines get 500 and the session goes on (512 octets per command, 1000 per text line)', () => {
    const { world } = lab();
    const r = talk(world, 1, [
      `NOOP ${'x'.repeat(506)}\r\n`, // 511 + CRLF: too long
      `NOOP ${'x'.repeat(505)}\r\n`, // exactly 512 with CRLF
      `NOOP ${'y'.repeat(20_000)}\r\n`,
      'EHLO client.lab\r\n',
      'MAIL FROM:<a@client.lab>\r\n',
      'RCPT TO:<student@server.lab>\r\n',
      'DATA\r\n',
      `Subject: long\r\n\r\n${'z'.repeat(999)}\r\nok\r\n.\r\n`,
      'MAIL FROM:<a@client.lab>\r\n',
      'QUIT\r\n',
    ]);
    world.sched.runUntil(5 * SEC);
    expect(r.replies.map((x) => x.split('\r\n').pop())).toEqual([
      '500 5.5.2 Error: command line too long',
      '250 2.0.0 Ok',
      '500 5.5.2 Error: command line too long',
      '250 HELP',
      '250 2.1.0 Ok',
      '250 2.1.5 Ok',
      '354 End data with <CR><LF>.<CR><LF>',
      '500 5.5.2 Error: text line too long (RFC 5321 limit is 1000 octets)',
      '250 2.1.0 Ok',
      '221 2.0.0 Bye',
    ]);
    expect(mailbox(world, 'student')).toBeNull();
  });

  it('SIZE: a declared size over the limit is refused at MAIL, a bigger message after its final dot', () => {
    const { world } = lab(['-s', '1000']);
    const r = talk(world, 1, [
      'EHLO client.lab\r\n',
      'MAIL FROM:<a@client.lab> SIZE=5000\r\n',
      'MAIL FROM:<a@client.lab> SIZE=500 BODY=8BITMIME\r\n',
      'RCPT TO:<student@server.lab>\r\n',
      'DATA\r\n',
      `${'line of text\r\n'.repeat(100)}.\r\n`,
      'QUIT\r\n',
    ]);
    world.sched.runUntil(5 * SEC);
    expect(r.replies[0]).toContain('250-SIZE 1000\r\n');
    expect(r.replies.slice(1)).toEqual([
      '552 5.3.4 Message size exceeds fixed limit',
      '250 2.1.0 Ok',
      '250 2.1.5 Ok',
      '354 End data with <CR><LF>.<CR><LF>',
      '552 5.3.4 Error: message file too big',
      '221 2.0.0 Bye',
    ]);
    expect(mailbox(world, 'student')).toBeNull();
  });

  it('pipelined commands (RFC 2920) are answered in order; two messages in one session', () => {
    const { world } = lab();
    const r = talk(world, 1, [
      'EHLO client.lab\r\n',
      'MAIL FROM:<a@client.lab>\r\nRCPT TO:<student@server.lab>\r\nDATA\r\n',
      'Subject: one\r\n\r\nfirst\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<student@localhost>\r\nDATA\r\n',
      'Subject: two\r\n\r\nsecond\r\n.\r\nQUIT\r\n',
    ]);
    world.sched.runUntil(5 * SEC);
    // Each chunk's replies arrive together; talk() reads one reply per chunk, the rest stays buffered.
    expect(r.transcript).toMatch(/S: 250 2\.1\.0 Ok\r\n/);
    const box = mailbox(world, 'student')!;
    expect(box).toMatch(/^From a@client\.lab {2}.*\n(.*\n)*\nfirst\n\nFrom MAILER-DAEMON {2}.*\nReturn-Path: <>\n(.*\n)*\nsecond\n\n$/);
  });

  it('a client that disconnects in the middle of DATA: nothing delivered, no process left behind', () => {
    const { world } = lab();
    talk(world, 1, ['EHLO client.lab\r\n', 'MAIL FROM:<a@client.lab>\r\n', 'RCPT TO:<student@server.lab>\r\n', 'DATA\r\n', 'Subject: cut\r\n\r\nhalf a mess'], { closeAfter: true });
    world.sched.runUntil(10 * SEC);
    expect(mailbox(world, 'student')).toBeNull();
    const smtpds = [...world.machine('server')!.kernel.procs.values()].filter((p) => p.name === 'smtpd');
    expect(smtpds.map((p) => [p.ppid, p.state])).toEqual([[1, 'S']]);
    expect(world.machine('server')!.fs.readText('/var/log/smtpd.log')).toMatch(/lost connection after DATA \(\d+ bytes\) from unknown\[10\.0\.0\.1\]\n/);
  });

  it('a client silent for 300 s is dropped with 421 (RFC 5321 §4.5.3.2.7)', () => {
    const { world } = lab();
    const r = talk(world, 1, ['EHLO client.lab\r\n', 'MAIL FROM:<a@client.lab>\r\n', '']);
    world.sched.runUntil(400 * SEC);
    expect(r.replies.slice(2)).toEqual(['421 4.4.2 server.lab Error: timeout exceeded']);
    expect(world.machine('server')!.fs.readText('/var/log/smtpd.log')).toMatch(/timeout after MAIL from unknown\[10\.0\.0\.1\] ehlo=1 mail=1 commands=2\n$/);
    expect([...world.machine('server')!.kernel.procs.values()].filter((p) => p.name === 'smtpd')).toHaveLength(1);
  });

  it('too many errors: 421 and the server closes', () => {
    const { world } = lab();
    const r = talk(world, 1, Array.from({ length: 21 }, () => 'BOGUS\r\n'));
    world.sched.runUntil(5 * SEC);
    expect(r.replies).toHaveLength(21);
    expect(r.replies.slice(18)).toEqual(['500 5.5.2 Error: command not recognized', '500 5.5.2 Error: command not recognized', '421 4.7.0 server.lab Error: too many errors']);
  });
});

describe('smtpd: address parsing (RFC 5321 §4.1.2)', () => {
  it('paths with and without brackets, source routes, parameters', () => {
    expect(parsePath('FROM:<a@b.lab> SIZE=12 BODY=8BITMIME', 'FROM')).toEqual({ path: 'a@b.lab', params: ['SIZE=12', 'BODY=8BITMIME'] });
    expect(parsePath('from: <>', 'FROM')).toEqual({ path: '', params: [] });
    expect(parsePath('TO:<@relay.lab,@x.lab:u@server.lab>', 'TO')).toEqual({ path: 'u@server.lab', params: [] });
    expect(parsePath('TO:u@server', 'TO')).toEqual({ path: 'u@server', params: [] });
    expect(parsePath('TO <u@server>', 'TO')).toBeNull();
    expect(splitAddress('student@[10.0.0.2]')).toEqual({ local: 'student', domain: '[10.0.0.2]' });
    expect(splitAddress('"odd name"@server.lab')).toEqual({ local: '"odd name"', domain: 'server.lab' });
    expect(splitAddress('postmaster')).toEqual({ local: 'postmaster', domain: null });
    expect(splitAddress('a..b@x')).toBeNull();
    expect(splitAddress('a@-x')).toBeNull();
  });
});

describe('smtpd: only <CR><LF>.<CR><LF> ends the data (SMTP smuggling)', () => {
  it('a "." line after or before a bare LF is message text; the real end comes later', () => {
    const { world } = lab();
    const r = talk(world, 1, [
      'HELO client.lab\r\n',
      'MAIL FROM:<a@client.lab>\r\n',
      'RCPT TO:<student@server.lab>\r\n',
      'DATA\r\n',
      'Subject: one\r\n\r\nbody\n.\nMAIL FROM:<evil@x>\r\nstill text\r\n.\r\n',
      'QUIT\r\n',
    ]);
    world.sched.runFor(10 * SEC);
    expect(r.replies[4]).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const box = mailbox(world, 'student') ?? '';
    expect(box).toContain('MAIL FROM:<evil@x>');
    expect(box.match(/^From /gm)).toHaveLength(1);
  });
});
