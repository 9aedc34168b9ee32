// The catalogue of linux-truth scenarios: which capture, which hosts, which connections, and
// checkable statements of what each acceptance scenario (README section 5) expects. Every check of an
// available scenario is proven against the real capture by catalogue.test.ts.
import { caseA, caseBClosedPort, caseBDataAfterClose, caseBLinger0, caseBRawAck, caseBUnreadClose, caseC } from './catalogue-abc';
import { caseD1, caseD2, caseD4 } from './catalogue-d';
import { caseEClose, caseEShutdown, caseF, caseH } from './catalogue-efh';
import { caseD3, caseD5, caseD6 } from './catalogue-readme';
import { runChecks, type ChecksReport } from './check';
import type { GoldenRun } from './run';
import type { Scenario } from './scenario';
import type { Check } from './statements';

export const SCENARIOS: readonly Scenario[] = [
  caseA, caseBClosedPort, caseBRawAck, caseBUnreadClose, caseBLinger0, caseBDataAfterClose, caseC,
  caseD1, caseD2, caseD4, caseEClose, caseEShutdown, caseF, caseH,
  caseD3, caseD5, caseD6,
];

export function scenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario '${id}' (have ${SCENARIOS.map((x) => x.id).join(', ')})`);
  return s;
}

/** AS-xx -> the scenarios and checks that support it ('AS-06a' counts for AS-06). */
export function acceptanceIndex(): Map<string, Array<{ scenario: string; available: boolean; check: Check }>> {
  const out = new Map<string, Array<{ scenario: string; available: boolean; check: Check }>>();
  for (const s of SCENARIOS) {
    for (const c of s.checks) {
      for (const r of c.refs) {
        const m = /^AS-(\d\d)/.exec(r);
        if (!m) continue;
        const key = `AS-${m[1]}`;
        out.set(key, [...(out.get(key) ?? []), { scenario: s.id, available: s.available, check: c }]);
      }
    }
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Behaviour the acceptance scenarios name that no linux-truth capture shows (syscall results, state
 * internals, or cases whose folders are missing). Kept here so a reader sees the gaps.
 */
export const NOT_IN_CAPTURES: Readonly<Record<string, string>> = {
  'AS-01': 'When connect() returns (on the SYN-ACK) is not visible in a capture.',
  'AS-02': 'getsockname()/getpeername() results: server.log only (checked as a log line).',
  'AS-03': '"A later segment for that 4-tuple sent to B gets an RST" and the 60 s TIME_WAIT expiry were not captured.',
  'AS-06': '(d) RST to a port with no socket: only an RST to the listener (5005) was captured.',
  'AS-08': 'The optional rate check (6 ICMPs after >= 6 s of silence) was not captured.',
  'AS-12': 'No capture (d3 folder missing): README-only checks.',
  'AS-13': 'Retransmits at +15 and +31 s, the expiry at +63 s and the accept()-before-retransmit variant need d6 (missing).',
  'AS-14': 'No capture (d5 folder missing): README-only checks.',
  'AS-16': 'The 6-byte ping to a queued child and its CLOSE-WAIT 7 0 row are d6 (missing); h_backlog0 shows the FIN half (CLOSE-WAIT 1 0).',
  'AS-20': '(b)-(d) are syscall results (ports.log, tw_rules.log, srv_rebind.log), not packets; the TIME-WAIT reuse has no capture.',
};

/** Run a scenario's checks on a run of it (our stack's, or the real kernel's from loadTruthRun). */
export function runScenario(id: string, run: GoldenRun): ChecksReport {
  const s = scenario(id);
  return runChecks(s.checks, run, s.roles, `${s.id} (${s.acceptance.join(', ')})`);
}
