// Autosave and crash recovery. The working lab (the file text Save would write) is kept in the app
// data folder after every change; a lock file says a session is running. A session that starts
// and finds a lock left behind knows the last one did not end cleanly (killed, crashed, power
// lost) and offers its autosaved lab back. A clean end removes both files: whatever was not saved
// then was given up knowingly (the window asks first).
//
// Writes are atomic (a temporary file renamed over the old one), so a crash mid-write leaves the
// previous autosave whole. What is read back is validated like any opened file before it is used.
// A lock whose process is still alive is another session's: this one leaves the folder alone and
// autosaves nothing (`off` says why), as it does when the folder cannot be used at all.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Recovery } from '../../shared/api/contract';
import { parseLab } from '../../shared/lab';
import { reason } from './errors';

const LAB_FILE = 'autosave.lab.json';
const LOCK_FILE = 'session.lock';
/** The lab left behind, set aside until the person decides (this session autosaves its own). */
const RECOVERY_FILE = 'recovery.lab.json';

/** Whether a process with this pid runs (signal 0 only checks; EPERM means it exists). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Autosave {
  private recovery: Recovery | null = null;
  private last = '';
  /** Why this session autosaves nothing (the folder is another live session's, or unusable), or null. */
  readonly off: string | null = null;

  /** Take the folder (created if missing); notes a lab left behind by a session that did not end. */
  constructor(private readonly dir: string) {
    try {
      const owner = this.liveOwner();
      if (owner !== null) {
        this.off = `another Packet Lab session (pid ${owner}) is using ${dir}`;
        return;
      }
      this.take();
    } catch (e) {
      this.off = `cannot use ${dir}: ${reason(e)}`;
    }
  }

  /** The pid in the lock when that process still runs (and is not this one), else null. */
  private liveOwner(): number | null {
    const lock = join(this.dir, LOCK_FILE);
    if (!existsSync(lock)) return null;
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
  }

  private take(): void {
    const dir = this.dir;
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, LOCK_FILE);
    const lab = join(dir, LAB_FILE);
    const kept = join(dir, RECOVERY_FILE);
    // Left behind by a session that did not end (an older one still undecided stays if none is newer).
    if (existsSync(lock) && existsSync(lab)) renameSync(lab, kept);
    if (existsSync(kept)) {
      const text = readFileSync(kept, 'utf8');
      const r = parseLab(text);
      // A damaged file is not offered (nothing could be opened from it); it stays for a look by hand.
      if (r.ok) this.recovery = { labName: r.doc.name, savedAtMs: Math.round(statSync(kept).mtimeMs), text };
    }
    writeFileSync(lock, `${process.pid}\n`);
  }

  /** The lab the previous session left behind, if it did not end cleanly. */
  pending(): Recovery | null {
    return this.recovery;
  }

  /** The person chose (recovered it or discarded it): do not offer it again. */
  settle(): void {
    this.recovery = null;
    rmSync(join(this.dir, RECOVERY_FILE), { force: true });
  }

  /** Keep `text` as the working lab (skipped when unchanged, or when autosave is off). */
  write(text: string): void {
    if (this.off !== null || text === this.last) return;
    const tmp = join(this.dir, `${LAB_FILE}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(this.dir, LAB_FILE));
    this.last = text;
  }

  /**
   * A start that failed before the page opened: the lock goes, a lab to recover stays for the next
   * start. The working lab this start wrote goes too: left without a lock, a later crash's recovery
   * would take it for its own and put it over the lab it should offer.
   */
  release(): void {
    if (this.off !== null) return;
    for (const f of [LAB_FILE, LOCK_FILE]) rmSync(join(this.dir, f), { force: true });
  }

  /** A clean end: nothing to recover next time (an offer not taken up was declined). */
  end(): void {
    if (this.off !== null) return; // the folder is not ours
    for (const f of [LAB_FILE, RECOVERY_FILE, LOCK_FILE]) rmSync(join(this.dir, f), { force: true });
  }
}
