import { describe, expect, it } from 'vitest';
import { INIT_PID, Tty, type Process, type Program } from '../../process';
import { SEC } from '../../sim';
import { MemorySink, twoHosts } from '../../test/lab-fixtures';
import { World } from '../../world';
import { smtpd } from '../daemons/smtpd';
import { dataBytes, mail, parseMbox, recipient, sendmail, withStatus } from './mail';

const me = { host: 'client', fqdn: 'client.lab' };

const MBOX = [
  'From alice@client.lab  Thu Jan  1 00:00:05 2026',
  'Return-Path: <alice@client.lab>',
  'From: Alice <alice@client.lab>',
  'Subject: Lunch',
  '\ton Friday?',
  '',
  'Are you free?',
  '>From the kitchen: soup.',
  '',
  'From bob@client.lab  Thu Jan  1 00:01:00 2026',
  'From: bob@client.lab',
  'Subject: Old news',
  'Status: RO',
  '',
  'Seen already.',
  '',
  'From MAILER-DAEMON  Thu Jan  1 00:02:00 2026',
  'Subject: Undelivered',
  'Status: O',
  '',
  'A bounce.',
  '',
].join('\n') + '\n';

describe('mail: the pieces', () => {
  it('parses an mbox: From_ lines after blank lines, folded fields, Status flags, sizes', () => {
    const msgs = parseMbox(MBOX);
    expect(msgs.map((m) => [m.from, m.date, m.subject, m.status, m.lines])).toEqual([
      ['alice@client.lab', 'Thu Jan  1 00:00:05 2026', 'Lunch on Friday?', 'N', 9],
      ['bob@client.lab', 'Thu Jan  1 00:01:00 2026', 'Old news', 'R', 7],
      ['MAILER-DAEMON', 'Thu Jan  1 00:02:00 2026', 'Undelivered', 'U', 6],
    ]);
    expect(msgs.map((m) => m.raw).join('')).toBe(MBOX);
    expect(msgs[0]!.octets).toBe(MBOX.indexOf('From bob'));
    expect(parseMbox('')).toEqual([]);
  });

  it('sets the Status field at the end of the header, replacing an old one', () => {
    const [a, b] = parseMbox(MBOX);
    expect(withStatus(a!.raw, 'O')).toContain('Subject: Lunch\n\ton Friday?\nStatus: O\n\nAre you free?\n');
    expect(withStatus(b!.raw, 'RO')).toBe('From bob@client.lab  Thu Jan  1 00:01:00 2026\nFrom: bob@client.lab\nSubject: Old news\nStatus: RO\n\nSeen already.\n\n');
  });

  it('addresses: local users go to 127.0.0.1, dotted hosts become address literals (RFC 5321 §4.1.3)', () => {
    expect(recipient('student', me)).toEqual({ address: 'student@client.lab', server: '127.0.0.1' });
    expect(recipient('student@10.0.0.2', me)).toEqual({ address: 'student@[10.0.0.2]', server: '10.0.0.2' });
    expect(recipient('Student <student@[10.0.0.2]>', me)).toEqual({ address: 'student@[10.0.0.2]', server: '10.0.0.2' });
    expect(recipient('root@client', me)).toEqual({ address: 'root@client', server: '127.0.0.1' });
    expect(recipient('u@Server.LAB', me)).toEqual({ address: 'u@server.lab', server: 'server.lab' });
    expect(recipient('a b@c', me)).toBeNull();
    expect(recipient('@c', me)).toBeNull();
  });

  it('dot-stuffs lines that start with "." and ends the data with CRLF . CRLF (RFC 5321 §4.5.2)', () => {
    expect(dataBytes(['Subject: x', '', '.', '..two', 'a.b'])).toBe('Subject: x\r\n\r\n..\r\n...two\r\na.b\r\n.\r\n');
    expect(dataBytes([])).toBe('.\r\n');
  });
});

interface TtyRun {
  output: string;
  proc: Process | null;
  /** Type a line now (for input that must wait for something else to happen first). */
  type(line: string): void;
}

/** Run a program at `at` on a terminal of its own, typing `input` lines as it asks; uid 1000 is student. */
function onTty(world: World, machine: string, at: number, argv: string[], program: Program, opts: { input?: string[]; uid?: number; eof?: boolean } = {}): TtyRun {
  let tty: Tty | null = null;
  const run: TtyRun = { output: '', proc: null, type: (line) => tty?.input(`${line}\r`) };
  world.sched.at(at * SEC, () => {
    const inputs = [...(opts.input ?? [])];
    let pending = false;
    let eofSent = false;
    const t: Tty = new Tty('/dev/pts/test', {
      output: (s) => {
        run.output += s.replace(/\r\n/g, '\n');
      },
      interrupt: () => {},
      readerWaiting: () => {
        if (pending || t.hasInput) return;
        const line = inputs.shift();
        const data = line !== undefined ? `${line}\r` : opts.eof && !eofSent ? '\x04' : null;
        if (data === null) return;
        if (line === undefined) eofSent = true;
        pending = true;
        world.sched.after(0, () => {
          pending = false;
          t.input(data);
        });
      },
    });
    tty = t;
    const k = world.machine(machine)!.kernel;
    const of = k.open(t);
    const p = k.startProgram(argv, program, INIT_PID, [of, of, of]);
    if (opts.uid !== undefined) p.uid = p.euid = p.gid = opts.uid;
    run.proc = p;
  });
  return run;
}

function serverLab(box = MBOX) {
  const world = new World(twoHosts(), new MemorySink());
  const server = world.machine('server')!;
  server.fs.writeFile('/var/mail/student', box, { uid: 1000, gid: 1000 }, 0o600);
  return { world, server };
}

describe('mail: reading a mailbox', () => {
  it('headers with N/U/read flags, Enter and n walk the messages, x leaves the file as it was', () => {
    const { world, server } = serverLab();
    const r = onTty(world, 'server', 1, ['mail'], mail, { uid: 1000, input: ['', 'n', 'n', 'n', '7', 'd 9', 'bogus', '=', 'x'] });
    world.sched.runUntil(3 * SEC);
    const t = r.output;
    expect(t).toMatch(/^PacketLab mail 1\.0 .*\n"\/var\/mail\/student": 3 messages 1 new 1 unread\n/);
    expect(t).toContain('\n>N  1 alice@client.lab   Thu Jan  1 00:00    9/');
    expect(t).toContain('\n    2 bob@client.lab     Thu Jan  1 00:01    7/');
    expect(t).toContain('\n U  3 MAILER-DAEMON      Thu Jan  1 00:02    6/');
    // Enter shows the current (first new) message; n the next ones; then the end.
    expect(t).toContain('? \nMessage 1:\nFrom alice@client.lab  Thu Jan  1 00:00:05 2026\n');
    expect(t).toContain('? n\nMessage 2:\nFrom bob@client.lab');
    expect(t).toContain('? n\nMessage 3:\n');
    expect(t).toContain('? n\nAt EOF\n? 7\n7: Invalid message number\n? d 9\n9: Invalid message number\n? bogus\nUnknown command: "bogus"\n? =\n3\n? x\n');
    expect(r.proc!.exit?.status).toBe(0);
    expect(server.fs.readText('/var/mail/student')).toBe(MBOX);
  });

  it('q writes back what is left with Status fields; mail arriving meanwhile is kept', () => {
    const { world, server } = serverLab();
    const r = onTty(world, 'server', 1, ['mail'], mail, { uid: 1000, input: ['d 1-2', 'u 2', 'd 1', 'h'] });
    world.sched.runUntil(2 * SEC);
    // While the reader waits at its prompt, a new message is appended; then the user quits.
    const late = 'From carol@client.lab  Thu Jan  1 00:00:02 2026\nSubject: Late\n\nJust in.\n\n';
    server.fs.writeFile('/var/mail/student', MBOX + late, { uid: 1000, gid: 1000 }, 0o600);
    r.type('q');
    world.sched.runUntil(3 * SEC);
    expect(r.output).toMatch(/\? d 1\n1: Inappropriate message\n\? h\n {4}2 bob@client\.lab .*Old news\n>U {2}3 MAILER-DAEMON .*Undelivered\n\? q\nHeld 2 messages in \/var\/mail\/student\nNew mail has arrived\.\n$/);
    const box = server.fs.readText('/var/mail/student')!;
    expect(box).toBe(
      'From bob@client.lab  Thu Jan  1 00:01:00 2026\nFrom: bob@client.lab\nSubject: Old news\nStatus: RO\n\nSeen already.\n\n' +
        'From MAILER-DAEMON  Thu Jan  1 00:02:00 2026\nSubject: Undelivered\nStatus: O\n\nA bounce.\n\n' +
        late,
    );
    const again = onTty(world, 'server', 4, ['mail', '-H'], mail, { uid: 1000 });
    world.sched.runUntil(5 * SEC);
    expect(again.output).toMatch(/^ {4}1 bob@client\.lab .*Old news\n>U {2}2 MAILER-DAEMON .*Undelivered\n N {2}3 carol@client\.lab .*Late\n$/);
  });

  it('deleting everything empties the file; end of input quits like q; -e and an empty mailbox', () => {
    const { world, server } = serverLab();
    const r = onTty(world, 'server', 1, ['mail'], mail, { uid: 1000, input: ['d *'], eof: true });
    const check = onTty(world, 'server', 3, ['mail', '-e'], mail, { uid: 1000 });
    const none = onTty(world, 'server', 3, ['mail', '-H'], mail, { uid: 1000 });
    world.sched.runUntil(4 * SEC);
    expect(r.output).toMatch(/\? d \*\n\? $/);
    expect(r.proc!.exit?.status).toBe(0);
    expect(server.fs.readText('/var/mail/student')).toBe('');
    expect(check.proc!.exit?.status).toBe(1);
    expect(none.output).toBe('No mail for student\n');
    expect(none.proc!.exit?.status).toBe(1);
  });

  it('another user cannot read student\'s mailbox (0600)', () => {
    const { world } = serverLab();
    const r = onTty(world, 'server', 1, ['mail', '-f', '/var/mail/student'], mail, { uid: 33 });
    world.sched.runUntil(2 * SEC);
    expect(r.output).toBe('mail: /var/mail/student: Permission denied\n');
    expect(r.proc!.exit?.status).toBe(1);
  });
});

describe('sendmail', () => {
  it('-t takes the recipients from To/Cc/Bcc and drops Bcc; missing Date/From/Message-ID are added', () => {
    const world = new World(twoHosts(), new MemorySink());
    world.machine('server')!.kernel.startProgram(['smtpd'], smtpd);
    const r = onTty(world, 'client', 1, ['sendmail', '-t'], sendmail, {
      input: ['To: student@10.0.0.2', 'Bcc: root@10.0.0.2', 'Subject: hidden copy', '', 'text'],
      eof: true,
    });
    world.sched.runUntil(3 * SEC);
    expect(r.proc!.exit?.status).toBe(0);
    const server = world.machine('server')!;
    for (const user of ['student', 'root']) {
      const box = server.fs.readText(`/var/mail/${user}`)!;
      expect(box).toMatch(/\nTo: student@10\.0\.0\.2\nSubject: hidden copy\nDate: Thu, 1 Jan 2026 00:00:01 \+0000\nFrom: root@client\.lab\nMessage-ID: <20260101000001\.\d+@client\.lab>\n\ntext\n\n$/);
      expect(box).not.toContain('Bcc');
    }
  });
});
