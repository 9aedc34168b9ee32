// Display filters in the packet list, the way a person uses them on the backlog example: a typo is
// marked red with its place and nothing is applied; a valid filter (green) shows only the SYNs; a
// SYN explains its delivery; lab.drop_reason finds the SYNs the full accept queue dropped; Esc
// shows every packet again.
import { backlogHost, test as base, expect, type LabHost } from './fixtures';
import { showDelivery } from './inspector';
import { shot } from './screenshot';

const test = base.extend<{ backlog: LabHost }>({ backlog: backlogHost });

test('a display filter narrows the packet list; a bad one is refused where it is wrong', async ({ page, backlog }, testInfo) => {
  await page.goto(backlog.url);
  await page.getByTestId('speed-select').selectOption('10');
  const run = page.getByTestId('btn-run');
  await run.click();
  await expect(page.getByTestId('clock')).toContainText(/t = ([4-9]|[1-9]\d)\./, { timeout: 20_000 });
  const rows = page.getByTestId('packet-row');
  // The grid's row count is the list's length (rows are drawn only where visible). Paused once it
  // has enough for the filters below: where the pause lands depends on this machine's speed (at
  // t = 5.9 s the lab has 18 frames).
  const grid = page.getByTestId('packet-list');
  await expect.poll(async () => Number(await grid.getAttribute('aria-rowcount')), { timeout: 20_000 }).toBeGreaterThan(20);
  await run.click(); // pause: its reply is the final status
  await expect(run).toHaveAttribute('aria-pressed', 'false');
  const everything = await grid.getAttribute('aria-rowcount');

  const input = page.getByTestId('filter-input');
  await input.fill('tcp.flags.sin == 1');
  await expect(input).toHaveClass(/invalid/);
  await expect(page.getByTestId('filter-error')).toContainText('at character 1: "tcp.flags.sin" is neither a field nor a protocol name');
  await expect(page.getByTestId('filter-error').locator('mark')).toHaveText('tcp.flags.sin');
  await input.press('Enter'); // refused: nothing applied
  await expect(grid).toHaveAttribute('aria-rowcount', everything!);
  await testInfo.attach('filter-error', { path: await shot(page, testInfo, 'filter-error') });

  await input.fill('tcp.flags.syn == 1 && tcp.flags.ack == 0');
  await expect(input).toHaveClass(/valid/);
  await input.press('Enter');
  await expect.poll(async () => (await rows.allTextContents()).length).toBeGreaterThan(4);
  for (const text of await rows.allTextContents()) {
    expect(text).toContain('[SYN]');
    expect(text).not.toContain('SYN, ACK');
  }
  await testInfo.attach('filter-syn', { path: await shot(page, testInfo, 'filter-syn') });

  // A SYN from the list explains how the server's kernel took it.
  await rows.first().click();
  await showDelivery(page);
  await expect(page.getByTestId('delivery')).toContainText(/LISTEN|SYN/);

  // The lab's own field: frames the kernel dropped because the accept queue was full.
  await input.fill('lab.drop_reason == "LISTEN_OVERFLOW"');
  await input.press('Enter');
  await expect.poll(async () => (await rows.allTextContents()).length).toBeGreaterThan(0);
  for (const text of await rows.allTextContents()) expect(text).toMatch(/\[SYN\]|\[ACK\]/);

  await input.press('Escape');
  await expect(grid).toHaveAttribute('aria-rowcount', everything!);
  await expect(page.getByTestId('filter-clear')).toHaveCount(0);
});
