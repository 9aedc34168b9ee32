// A machine's accounts (/etc/passwd and /etc/shadow in one table). Programs look users up and
// check passwords through syscalls (getpwnam, pam_authenticate): Linux does this in libc and PAM
// reading /etc/passwd and /etc/shadow; the lab keeps one table and writes /etc/passwd from it so
// `cat /etc/passwd` shows the same accounts. Passwords are compared as given (no crypt(3)).

import type { Passwd } from '../process/syscalls';

export interface UserSpec {
  name: string;
  password: string;
}

interface Account extends Passwd {
  /** null: the account cannot log in with a password (system users, like '*' in /etc/shadow). */
  password: string | null;
}

export const FIRST_USER_UID = 1000;

/** System accounts every machine has (Debian's base-passwd plus the service users). */
const SYSTEM: Account[] = [
  { name: 'daemon', uid: 1, gid: 1, gecos: 'daemon', home: '/usr/sbin', shell: '/usr/sbin/nologin', password: null },
  { name: 'mail', uid: 8, gid: 8, gecos: 'mail', home: '/var/mail', shell: '/usr/sbin/nologin', password: null },
  { name: 'www-data', uid: 33, gid: 33, gecos: 'www-data', home: '/var/www', shell: '/usr/sbin/nologin', password: null },
  { name: 'ftp', uid: 107, gid: 113, gecos: 'ftp daemon', home: '/srv/ftp', shell: '/usr/sbin/nologin', password: null },
  { name: 'nobody', uid: 65534, gid: 65534, gecos: 'nobody', home: '/nonexistent', shell: '/usr/sbin/nologin', password: null },
];

export class Users {
  private readonly accounts: Account[];

  /** `specs` replace the default user `student` (password `student`); root's password is `root` unless listed. */
  constructor(specs?: readonly UserSpec[]) {
    const listed = specs ?? [{ name: 'student', password: 'student' }];
    const rootSpec = listed.find((u) => u.name === 'root');
    this.accounts = [{ name: 'root', uid: 0, gid: 0, gecos: 'root', home: '/root', shell: '/bin/sh', password: rootSpec?.password ?? 'root' }, ...SYSTEM];
    let uid = FIRST_USER_UID;
    for (const u of listed) {
      if (u.name === 'root') continue;
      this.accounts.push({ name: u.name, uid, gid: uid, gecos: u.name, home: `/home/${u.name}`, shell: '/bin/sh', password: u.password });
      uid++;
    }
  }

  /** Accounts people log in to: root and the lab's users (not the system accounts). */
  get people(): Passwd[] {
    return this.accounts.filter((a) => a.password !== null).map(strip);
  }

  byName(name: string): Passwd | undefined {
    const a = this.accounts.find((x) => x.name === name);
    return a && strip(a);
  }

  byUid(uid: number): Passwd | undefined {
    const a = this.accounts.find((x) => x.uid === uid);
    return a && strip(a);
  }

  /** pam_unix: the account if the password matches; never for password-less system accounts. */
  authenticate(name: string, password: string): Passwd | undefined {
    const a = this.accounts.find((x) => x.name === name);
    return a && a.password !== null && a.password === password ? strip(a) : undefined;
  }

  /** /etc/passwd (passwords shown as 'x': they live in the shadow file). */
  passwdFile(): string {
    return this.accounts.map((a) => `${a.name}:x:${a.uid}:${a.gid}:${a.gecos}:${a.home}:${a.shell}\n`).join('');
  }

  /** /etc/group: one group per account, named after it (Debian's user private groups). */
  groupFile(): string {
    return this.accounts.map((a) => `${a.name}:x:${a.gid}:\n`).join('');
  }
}

function strip(a: Account): Passwd {
  return { name: a.name, uid: a.uid, gid: a.gid, gecos: a.gecos, home: a.home, shell: a.shell };
}
