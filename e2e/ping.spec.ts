// The foundation's acceptance, done the way a person does it: open the default lab, open bob's
// console, type a ping, watch the replies and the packet list, click a frame, read its layers.
import { canvasShows, machineOnCanvas } from './canvas';
import { expect, test } from './fixtures';
import { shot } from './screenshot';

test('ping from a console fills the packet list; a frame shows its layers and bytes', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('clock')).toContainText('s');

  await page.getByTestId('open-console-bob').click();
  const term = page.getByTestId('console-bob');
  await expect(term).toContainText('bob$');
  await term.click();
  await page.keyboard.type('ping -c 3 10.0.0.10');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('3 packets transmitted, 3 received, 0% packet loss', { timeout: 20_000 });
  await expect(term.locator('.xterm-rows')).toContainText(/64 bytes from 10\.0\.0\.10: icmp_seq=3 ttl=64/);

  const list = page.getByTestId('packet-list');
  const bobIcmp = list.getByTestId('packet-row').filter({ hasText: 'ICMP' }).filter({ hasText: '10.0.0.12' });
  await expect(bobIcmp).toHaveCount(6);
  await expect(list.getByTestId('packet-row').filter({ hasText: 'Tell 10.0.0.12' })).toHaveCount(1);
  await expect(list.getByTestId('packet-row').filter({ hasText: '10.0.0.10 is at' }).first()).toBeVisible();

  await bobIcmp.first().click();
  const tree = page.getByTestId('detail-tree');
  await expect(tree).toContainText('Ethernet II');
  await expect(tree).toContainText('Internet Protocol Version 4');
  await expect(tree).toContainText('Internet Control Message Protocol');
  const hex = page.getByTestId('hex-pane');
  await expect(hex).toContainText('0000');
  await tree.getByTestId('tree-node').filter({ hasText: 'Internet Protocol Version 4' }).first().click();
  await expect(hex.getByTestId('hex-selected').first()).toBeVisible();

  await testInfo.attach('ping-and-packet-list', { path: await shot(page, testInfo, 'ping-and-packet-list') });
});

test('a bad lab file is refused with its JSON path and the lab stays as it was', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('file-open-input').setInputFiles('examples/bad/bad-ip.lab.json');
  await expect(page.getByTestId('lab-errors')).toContainText('machines[1].nics[0].ip: "10.0.0.300/24" is not an IPv4 address');
  await expect(page.getByTestId('toolbar')).toContainText('Two hosts and a server on a switch');
});

test('open another lab file, save it back, export pcapng', async ({ page, lab }) => {
  await page.goto(lab.url);
  await page.getByTestId('file-open-input').setInputFiles('examples/two-hosts.lab.json');
  await expect(page.getByTestId('toolbar')).toContainText('two hosts');
  await expect(page.getByTestId('open-console-client')).toBeVisible();

  const saved = page.waitForEvent('download');
  await page.getByTestId('btn-save').click();
  const file = await (await saved).path();
  const doc = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(file, 'utf8')));
  expect(doc.name).toBe('two hosts');
  expect(doc.machines.map((m: { id: string }) => m.id)).toEqual(['client', 'server']);

  const exported = page.waitForEvent('download');
  await page.getByTestId('btn-export-pcapng').click();
  const dl = await exported;
  expect(dl.suggestedFilename()).toBe('two-hosts.pcapng');
  const bytes = await import('node:fs').then(async (fs) => fs.readFileSync(await dl.path()));
  expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
});

test('dragging a machine on the canvas moves it, and Save keeps the new position', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toBeVisible();
  await canvasShows(page, { nodes: 4 });
  const at = await machineOnCanvas(page, 'server');
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 60, at.y + 30, { steps: 8 });
  await page.mouse.up();
  await testInfo.attach('after-drag', { path: await shot(page, testInfo, 'after-drag') });

  const saved = page.waitForEvent('download');
  await page.getByTestId('btn-save').click();
  const fs = await import('node:fs');
  const doc = JSON.parse(fs.readFileSync(await (await saved).path(), 'utf8'));
  const server = doc.machines.find((m: { id: string }) => m.id === 'server');
  expect(server.position.x).toBeGreaterThan(300 + 20);
  expect(server.position.y).toBeGreaterThan(80 + 5);
});
