// Crash recovery, the way it happens to a person: they add a machine, the host process is killed
// (no clean shutdown), they start Packet Lab again and are offered the lab they were working on.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canvasHas, canvasShows } from './canvas';
import { expect, removeQuietly, startHost, stopHost, test, type LabHost } from './fixtures';
import { shot } from './screenshot';

const readIfExists = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

test('a lab being edited when the host is killed is offered back at the next start, once', async ({ page }, testInfo) => {
  const data = mkdtempSync(join(tmpdir(), 'packet-lab-e2e-recovery-'));
  let first: LabHost | undefined;
  let second: LabHost | undefined;
  try {
    first = await startHost(['--data', data, '--paused']);
    await page.goto(first.url);
    await canvasShows(page, { nodes: 4 });
    await page.getByTestId('palette-host').click(); // a new host, h1, in the middle of the view
    await canvasHas(page, 'h1');
    await expect(page.getByTestId('dirty-mark')).toBeVisible();
    // Autosaving follows each edit: once the new host is in the autosaved lab, kill the host hard.
    await expect.poll(() => readIfExists(join(data, 'autosave.lab.json'))).toContain('"h1"');
    await stopHost(first, 'SIGKILL');

    second = await startHost(['--data', data, '--paused']);
    await page.goto(second.url);
    const banner = page.getByTestId('recovery-banner');
    await expect(banner).toContainText('did not shut down cleanly');
    await expect(banner).toContainText('Two hosts and a server on a switch');
    await testInfo.attach('recovery-offered', { path: await shot(page, testInfo, 'recovery-offered') });
    await page.getByTestId('recovery-recover').click();
    await expect(banner).toHaveCount(0);
    await canvasHas(page, 'h1');
    // Recovered, not saved: the lab is marked as having unsaved changes.
    await expect(page.getByTestId('dirty-mark')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('toolbar')).toContainText('Two hosts');
    await expect(page.getByTestId('recovery-banner')).toHaveCount(0); // settled: not offered again
  } finally {
    if (first) await stopHost(first); // at once: it was killed, unless the test failed before
    if (second) await stopHost(second);
    removeQuietly(data);
  }
});
