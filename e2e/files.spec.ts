// Lab files as in a desktop editor: Save writes the file the lab came from, Save as asks for a name,
// and Recent reopens files opened or saved lately (kept across reloads).
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { shot } from './screenshot';

test('Save keeps the file name, Save as asks for one, Recent reopens files after a reload', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('btn-recent')).toBeDisabled(); // nothing opened yet
  await page.getByTestId('file-open-input').setInputFiles('examples/two-hosts.lab.json');
  await expect(page.getByTestId('lab-name')).toContainText('two hosts');

  const saved = page.waitForEvent('download');
  await page.getByTestId('btn-save').click();
  expect((await saved).suggestedFilename()).toBe('two-hosts.lab.json');

  page.once('dialog', (d) => {
    expect(d.defaultValue()).toBe('two-hosts.lab.json');
    void d.accept('my copy');
  });
  const savedAs = page.waitForEvent('download');
  await page.getByTestId('btn-save-as').click();
  const copy = await savedAs;
  expect(copy.suggestedFilename()).toBe('my copy.lab.json');
  expect(JSON.parse(readFileSync(await copy.path(), 'utf8')).name).toBe('two hosts');
  // From now on Save writes the new name.
  const again = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  expect((await again).suggestedFilename()).toBe('my copy.lab.json');

  await page.getByTestId('file-open-input').setInputFiles('examples/routed.lab.json');
  await expect(page.getByTestId('lab-name')).toContainText('Routing');
  await page.reload();
  await page.getByTestId('btn-recent').click();
  const items = page.getByTestId('recent-item');
  await expect(items).toHaveText([/^routed\.lab\.json/, /^my copy\.lab\.json — two hosts/, /^two-hosts\.lab\.json/]);
  await testInfo.attach('recent-menu', { path: await shot(page, testInfo, 'recent-menu') });
  await items.nth(1).click();
  await expect(page.getByTestId('lab-name')).toContainText('two hosts');
  await expect(page.getByTestId('recent-menu')).toHaveCount(0);
});
