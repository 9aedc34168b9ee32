import { describe, expect, it } from 'vitest';
import { runSteps } from '../test/script-run';

describe('files from the shell (open/read/write, readdir, mkdir, unlink, rename, chdir, creds)', () => {
  it('a fresh machine has accounts, homes and the services\' content; ls -l shows owners and modes', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: 'cat /etc/passwd' },
      { at: 2, on: 'server', run: 'ls -l /home' },
      { at: 3, on: 'server', run: 'ls /srv/ftp/pub' },
      { at: 4, on: 'server', run: 'id' },
    ]);
    expect(r.out[0]).toContain('root:x:0:0:root:/root:/bin/sh\n');
    expect(r.out[0]).toContain('student:x:1000:1000:student:/home/student:/bin/sh\n');
    expect(r.out[1]).toBe('total 4\ndrwxr-xr-x 2 student student 4096 Jan  1 00:00 student\n');
    expect(r.out[2]).toBe('README  numbers.txt\n');
    expect(r.out[3]).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
  });

  it('cd, mkdir -p, touch, mv, rm -r and their errors', () => {
    const r = runSteps([
      { at: 1, on: 'client', run: 'cd /tmp' },
      { at: 2, on: 'client', run: 'cd /nope' },
      { at: 3, on: 'client', run: 'mkdir -p /tmp/a/b/c' },
      { at: 4, on: 'client', run: 'touch /tmp/a/b/c/f' },
      { at: 5, on: 'client', run: 'mv /tmp/a/b/c/f /tmp/a' },
      { at: 6, on: 'client', run: 'ls /tmp/a' },
      { at: 7, on: 'client', run: 'rm /tmp/a' },
      { at: 8, on: 'client', run: 'rm -r /tmp/a' },
      { at: 9, on: 'client', run: 'ls /tmp' },
      { at: 10, on: 'client', run: 'cat /etc' },
    ]);
    expect(r.out[1]).toBe('sh: cd: /nope: No such file or directory\n');
    expect(r.out[5]).toBe('b  f\n');
    expect(r.out[6]).toBe("rm: cannot remove '/tmp/a': Is a directory\n");
    expect(r.out[8]).toBe('');
    expect(r.out[9]).toBe('cat: /etc: Is a directory\n');
  });

  it('users and privileged ports: as student, /root is closed, port 80 is EACCES, port 8080 is fine; su asks student for a password', () => {
    const r = runSteps([
      { at: 1, on: 'server', run: "su student -c 'cat /root/x'" },
      { at: 2, on: 'server', run: "su student -c \"sock 'socket tcp; bind 0.0.0.0:80'\"" },
      { at: 3, on: 'server', run: "su student -c \"sock 'socket tcp; bind 0.0.0.0:8080'\"" },
      { at: 4, on: 'server', run: "su - student -c 'pwd'" },
      { at: 5, on: 'server', run: "su student -c 'su root -c id'", input: ['wrong'] },
      { at: 6, on: 'server', run: "su student -c 'su root -c id'", input: ['root'] },
    ]);
    expect(r.out[0]).toBe('cat: /root/x: Permission denied\n');
    expect(r.out[1]).toContain('bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = -1 EACCES (Permission denied)');
    expect(r.out[2]).toContain('sin_port=htons(8080), sin_addr=inet_addr("0.0.0.0")}, 16) = 0');
    expect(r.out[3]).toBe('/home/student\n');
    expect(r.out[4]).toBe('Password: \nsu: Authentication failure\n');
    expect(r.out[5]).toBe('Password: \nuid=0(root) gid=0(root) groups=0(root)\n');
  });
});

describe('shell redirections', () => {
  it('> creates or truncates, >> appends, < feeds stdin; quoted operators are text; errors name the file', () => {
    const r = runSteps([
      { at: 1, on: 'client', run: 'echo first > /tmp/f' },
      { at: 2, on: 'client', run: 'echo second >>/tmp/f' },
      { at: 3, on: 'client', run: 'cat < /tmp/f' },
      { at: 4, on: 'client', run: "echo 'a > b' \"c >> d\"" },
      { at: 5, on: 'client', run: 'echo x > /nonexistent/dir/f' },
      { at: 6, on: 'client', run: 'echo x >' },
      { at: 7, on: 'client', run: 'ls /tmp > /tmp/listing' },
      { at: 8, on: 'client', run: 'cat /tmp/listing' },
    ]);
    expect(r.out[2]).toBe('first\nsecond\n');
    expect(r.out[3]).toBe('a > b c >> d\n');
    expect(r.out[4]).toBe('sh: /nonexistent/dir/f: No such file or directory\n');
    expect(r.out[5]).toBe("sh: syntax error near unexpected token `newline'\n");
    expect(r.out[7]).toBe('f  listing\n');
  });
});
