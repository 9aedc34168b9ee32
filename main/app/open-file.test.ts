import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pingPcap } from '../test/captures';
import { tempDir } from '../test/tools';
import { LabService } from '../service/lab-service';
import { TraceStore } from '../trace';
import { OPEN_CAPTURE_DIALOG, openChosenFile } from './open-file';

let svc: LabService | undefined;
let store: TraceStore | undefined;
afterEach(() => {
  svc?.dispose();
  store?.close();
});

function service(): LabService {
  store = TraceStore.open(':memory:');
  svc = new LabService(readFileSync('examples/two-hosts.lab.json', 'utf8'), { store, clock: { now: () => 0 } });
  return svc;
}

describe('the desktop open dialog', () => {
  it('opens the chosen capture by its path and names it by its file name', async () => {
    const s = service();
    const path = join(tempDir(), 'pings.pcap');
    writeFileSync(path, pingPcap(3));
    const opened = await openChosenFile(async () => ({ canceled: false, filePaths: [path] }), (p) => s.openFile(p));
    expect(opened?.fileName).toBe('pings.pcap');
    if (!opened?.result.ok) throw new Error(opened?.result.ok === false ? opened.result.error : 'cancelled');
    expect(opened.result.state.status.labName).toBe('pings');
    expect(opened.result.report.packets).toBe(3);
  });

  it('does nothing when the dialog is cancelled or gives no file', async () => {
    const opens: string[] = [];
    const open = (p: string) => (opens.push(p), { ok: false as const, error: 'not called' });
    expect(await openChosenFile(async () => ({ canceled: true, filePaths: ['/ignored'] }), open)).toBeNull();
    expect(await openChosenFile(async () => ({ canceled: false, filePaths: [] }), open)).toBeNull();
    expect(opens).toEqual([]);
  });

  it('hands a refusal back with the file name, for the page to show', async () => {
    const s = service();
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'not a capture');
    const opened = await openChosenFile(async () => ({ canceled: false, filePaths: [path] }), (p) => s.openFile(p));
    expect(opened).toEqual({ fileName: 'notes.txt', result: { ok: false, error: expect.stringMatching(/^notes\.txt is not a capture Packet Lab can read: /) } });
  });

  it('asks for one file, offering traces and captures first', () => {
    expect(OPEN_CAPTURE_DIALOG.properties).toEqual(['openFile']);
    expect(OPEN_CAPTURE_DIALOG.filters[0]!.extensions).toEqual(expect.arrayContaining(['sqlite', 'pcapng', 'pcap']));
  });
});
