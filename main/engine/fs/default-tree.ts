// What a fresh machine's disk holds: the accounts' files, home directories, and the content the
// services serve (FTP's anonymous area, the web root, mail spools), like a small Debian install.
import type { Users } from './users';
import type { Vfs } from './vfs';

export interface TreeOptions {
  hostname: string;
  users: Users;
  /** The machine's own IPv4 addresses, for a friendlier index page. */
  addresses: string[];
  /** /etc/resolv.conf's nameserver (none: no DNS, /etc/hosts only). */
  nameserver?: string;
  /** The lab's machines and addresses: /etc/dnsd/zone, what a DNS server on this machine answers. */
  zone?: { name: string; addr: string }[];
}

/** The lab's DNS domain: `server` is also `server.lab`. */
export const LAB_DOMAIN = 'lab';

const ROOT = { uid: 0, gid: 0 };

export function seedTree(vfs: Vfs, o: TreeOptions): void {
  const { hostname: host, users } = o;
  vfs.writeFile('/etc/hostname', `${host}\n`);
  vfs.writeFile('/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${host}\n`);
  vfs.writeFile('/etc/passwd', users.passwdFile());
  vfs.writeFile('/etc/group', users.groupFile());
  vfs.writeFile('/etc/motd', `Welcome to ${host}, a Packet Lab machine.\n`);
  if (o.nameserver) vfs.writeFile('/etc/resolv.conf', `nameserver ${o.nameserver}\nsearch ${LAB_DOMAIN}\n`);
  vfs.writeFile(
    '/etc/dnsd/zone',
    `# The lab's names, generated from the lab; dnsd answers from this file (edit it to change the zone).\ndomain ${LAB_DOMAIN}\n` +
      (o.zone ?? []).map((h) => `${h.addr}\t${h.name}\n`).join(''),
  );
  vfs.mkdirp('/tmp', ROOT, 0o777);
  vfs.mkdirp('/run', ROOT, 0o755);
  vfs.mkdirp('/var/log', ROOT, 0o755);
  vfs.mkdirp('/var/mail', { uid: 0, gid: 8 }, 0o775);
  vfs.mkdirp('/root', ROOT, 0o700);
  for (const u of users.people) {
    if (u.uid === 0) continue;
    const owner = { uid: u.uid, gid: u.gid };
    vfs.mkdirp(u.home, owner, 0o755);
    vfs.writeFile(`${u.home}/notes.txt`, `Notes of ${u.name} on ${host}.\nTry: ftp, curl, mail, ssh, telnet.\n`, owner);
  }
  // vsftpd's anonymous root: owned by root and not writable (vsftpd refuses a writable chroot).
  vfs.mkdirp('/srv/ftp', ROOT, 0o755);
  vfs.mkdirp('/srv/ftp/pub', ROOT, 0o755);
  vfs.writeFile('/srv/ftp/welcome.msg', `Anonymous FTP on ${host}. Files are in pub/.\n`);
  vfs.writeFile('/srv/ftp/pub/README', `This is ${host}'s public FTP area.\nDownload with: get README\n`);
  vfs.writeFile('/srv/ftp/pub/numbers.txt', Array.from({ length: 100 }, (_, i) => `${i + 1}\n`).join(''));
  vfs.mkdirp('/var/www/html', ROOT, 0o755);
  vfs.writeFile(
    '/var/www/html/index.html',
    `<!DOCTYPE html>\n<html>\n<head><title>${host}</title></head>\n<body>\n<h1>It works: ${host}</h1>\n` +
      `<p>Served by ${host}${o.addresses.length ? ` (${o.addresses.join(', ')})` : ''} over the simulated network.</p>\n` +
      `<p><a href="/about.html">About this page</a></p>\n</body>\n</html>\n`,
  );
  vfs.writeFile('/var/www/html/about.html', `<!DOCTYPE html>\n<html><body><p>Every byte of this page crossed the lab's TCP stack.</p></body></html>\n`);
}
