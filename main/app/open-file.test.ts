import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../shared/api/contract';
import { oneAtATime, OPEN_CAPTURE_DIALOG, openChosenFile } from './open-file';

/** An `open` that records the paths it was given and refuses with a canned error. */
function recorder(): { opens: string[]; open(path: string): ImportResult } {
  const opens: string[] = [];
  return { opens, open: (path) => (opens.push(path), { ok: false, error: `refused ${path}` }) };
}

describe('the desktop open dialog', () => {
  it("opens the chosen file by its path and names it by the path's last part", async () => {
    const r = recorder();
    const opened = await openChosenFile(async () => ({ canceled: false, filePaths: ['/captures/lab one/ftp.pcapng'] }), r.open);
    expect(opened).toEqual({ fileName: 'ftp.pcapng', result: { ok: false, error: 'refused /captures/lab one/ftp.pcapng' } });
    expect(r.opens).toEqual(['/captures/lab one/ftp.pcapng']);
  });

  it('opens nothing when the dialog is cancelled or gives no file', async () => {
    const r = recorder();
    expect(await openChosenFile(async () => ({ canceled: true, filePaths: ['/ignored'] }), r.open)).toBeNull();
    expect(await openChosenFile(async () => ({ canceled: false, filePaths: [] }), r.open)).toBeNull();
    expect(r.opens).toEqual([]);
  });

  it('opens no second dialog while one is open (that call is answered as cancelled), and asks again once it has closed', async () => {
    let close: (v: null) => void = () => {};
    let asked = 0;
    const open = oneAtATime(() => (asked++, new Promise<null>((done) => (close = done))), null);
    const first = open();
    await expect(open()).resolves.toBeNull();
    expect(asked).toBe(1);
    close(null);
    expect(await first).toBeNull();
    const again = open();
    close(null);
    expect(await again).toBeNull();
  });

  it('asks for one file, offering captures and traces first', () => {
    expect(OPEN_CAPTURE_DIALOG.properties).toEqual(['openFile']);
    expect(OPEN_CAPTURE_DIALOG.filters[0]!.extensions).toEqual(expect.arrayContaining(['sqlite', 'pcapng', 'pcap']));
  });
});
