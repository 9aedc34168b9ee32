// What the banner says after a capture file was imported.
import type { ImportReport } from '../../shared/api';

export function importSummary(fileName: string, r: ImportReport): string {
  if (r.format === 'trace') {
    return `Opened the trace of ${r.lab ? `the lab "${r.lab}"` : 'a lab'} from ${fileName}: ${r.packets} frame${r.packets === 1 ? '' : 's'}, with the kernel's records (deliveries, drops, the syscalls that sent frames). The lab itself is not in a trace: open its lab file to run it again.`;
  }
  const when = new Date(Math.floor(r.startNs / 1e6)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const parts = [`Imported ${r.packets} packet${r.packets === 1 ? '' : 's'} from ${fileName} (${r.format}); time 0 is its first packet, captured ${when}.`];
  if (r.skipped > 0) parts.push(`${r.skipped} packet${r.skipped === 1 ? ' was' : 's were'} left out (not Ethernet, or shorter than an Ethernet header).`);
  if (r.damage) parts.push(`The file is damaged from byte ${r.damage.offset} (${r.damage.reason}): only the packets before it were imported.`);
  parts.push('A foreign capture has no kernel side: delivery notes are empty.');
  return parts.join(' ');
}
