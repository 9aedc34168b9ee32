// Runs a lab's script: each entry opens its own terminal on its machine at its time, types the
// command, then types each `input` line when the program next waits for terminal input, the way a
// person answers prompts. The transcript of an entry is what the terminal showed after the command
// line up to the shell's next prompt. A program that waits in poll() (ssh, nc: input or the network)
// gets its next line once its terminal has been quiet for QUIET_NS, the way a person waits for the
// output to settle before typing.
import type { ResolvedScriptEntry } from '../../shared/lab/types';
import type { Terminal } from './machine';
import { shellPrompt } from './programs';
import type { World } from './world';

export interface ScriptRun {
  entry: ResolvedScriptEntry;
  finishedAt: number | null;
  /** Terminal output after the echoed command line (CR LF as the terminal got it). */
  output: string;
}

/** How long a polling program's terminal must stay quiet before the next input line is typed. */
export const QUIET_NS = 200_000_000;

export class ScriptRunner {
  readonly runs: ScriptRun[];

  constructor(
    private readonly world: World,
    entries: ResolvedScriptEntry[],
  ) {
    this.runs = entries.map((entry) => ({ entry, finishedAt: null, output: '' }));
    for (const run of this.runs) world.sched.at(run.entry.atNs, () => this.start(run));
  }

  get done(): boolean {
    return this.runs.every((r) => r.finishedAt !== null);
  }

  private start(run: ScriptRun): void {
    const machine = this.world.machine(run.entry.on);
    // Validation guarantees the machine existed at the start; the editor may have removed it since.
    if (!machine) {
      run.output = `(not run: ${run.entry.on} was removed from the lab)\r\n`;
      run.finishedAt = this.world.now;
      return;
    }
    const prompt = shellPrompt(machine.id);
    const inputs = [...run.entry.input];
    let typed = false;
    let capturing = false;
    let pending = false;
    let term: Terminal | null = null;
    let lastOutput = 0;
    let quietCheck = false;
    const onWaiting = (pid: number, polling = false) => {
      if (pending || run.finishedAt !== null || !term || term.tty.hasInput) return;
      if (polling && pid !== term.shell.pid) {
        // Wait for the terminal to be quiet, then type if the program still waits.
        if (quietCheck) return;
        quietCheck = true;
        const check = () => {
          if (!term || run.finishedAt !== null) return;
          const quietFor = this.world.now - lastOutput;
          if (quietFor < QUIET_NS) {
            this.world.sched.after(QUIET_NS - quietFor, check);
            return;
          }
          quietCheck = false;
          onWaiting(pid, false);
        };
        this.world.sched.after(QUIET_NS, check);
        return;
      }
      const atShell = pid === term.shell.pid;
      if (atShell && typed) {
        run.finishedAt = this.world.now;
        capturing = false;
        if (run.output.endsWith(prompt)) run.output = run.output.slice(0, -prompt.length);
        const t = term;
        this.world.sched.after(0, () => t.close());
        return;
      }
      const line = atShell ? run.entry.run : inputs.shift();
      if (line === undefined) return;
      // Typing from inside read() would re-enter the tty: type at the same instant, one event later.
      pending = true;
      this.world.sched.after(0, () => {
        pending = false;
        if (!term || run.finishedAt !== null) return;
        term.input(line + '\r');
        if (atShell) {
          typed = true;
          capturing = true;
        }
      });
    };
    term = machine.openTerminal({
      output: (s) => {
        lastOutput = this.world.now;
        if (capturing) run.output += s;
      },
      readerWaiting: onWaiting,
    });
  }
}
