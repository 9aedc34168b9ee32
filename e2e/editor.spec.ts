// Building a lab the way a person does: a new lab, a switch and three hosts dragged from the
// palette, three links drawn, auto-address, a ping from a console; a link deleted (the ping fails)
// and brought back with Undo (it works again), Redo and Undo once more; then Save, a reload, Open,
// and the same topology in the same places.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { canvasShows, machineOnCanvas, type CyHandle } from './canvas';
import { expect, test } from './fixtures';
import { shot } from './screenshot';

const cyEval = <T,>(page: Page, f: (cy: CyHandle, arg: string) => T, arg = ''): Promise<T> =>
  page.evaluate(({ body, arg }) => new Function('cy', 'arg', `return (${body})(cy, arg)`)((globalThis as unknown as { __cy: CyHandle }).__cy, arg) as T, { body: f.toString(), arg });

async function clickNode(page: Page, id: string): Promise<void> {
  const at = await machineOnCanvas(page, id);
  await page.mouse.click(at.x, at.y);
}

const positions = (page: Page) => cyEval(page, (cy) => Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])));

test('build a switched lab from the palette, ping across it, undo and redo a link, save and reopen it', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toBeVisible();
  await page.getByTestId('btn-new').click();
  await expect(page.getByTestId('toolbar')).toContainText('untitled');
  await expect(page.getByText('Drag machines here from the palette.')).toBeVisible();

  // A switch at the top, three hosts below it.
  // (The new machine is selected and its properties show over the right of the canvas.)
  await page.getByTestId('palette-switch').dragTo(canvas, { targetPosition: { x: 160, y: 50 } });
  for (const x of [50, 160, 270]) await page.getByTestId('palette-host').dragTo(canvas, { targetPosition: { x, y: 180 } });
  await canvasShows(page, { nodes: 4 });
  expect(Object.keys(await positions(page)).sort()).toEqual(['h1', 'h2', 'h3', 'sw1']);

  // Three links in link mode; a fourth from h1, whose only NIC is taken, is refused with the reason.
  await page.getByTestId('tool-link').click();
  await expect(page.getByTestId('link-hint')).toBeVisible();
  for (const h of ['h1', 'h2', 'h3']) {
    await clickNode(page, h);
    await clickNode(page, 'sw1');
  }
  await clickNode(page, 'h1');
  await clickNode(page, 'sw1');
  await expect(page.getByTestId('editor-refusal')).toContainText('h1 has no free NIC (eth0 is linked to sw1:p1)');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('link-hint')).toHaveCount(0);
  await canvasShows(page, { edges: 3 });

  await page.getByTestId('tool-autoaddress').click();
  await expect(page.getByTestId('machine-list')).toContainText('10.0.1.12/24');
  await expect(page.getByTestId('dirty-mark')).toBeVisible(); // not saved yet
  await testInfo.attach('built-topology', { path: await shot(page, testInfo, 'built-topology') });

  // A ping from h1's console reaches h3.
  await page.getByTestId('open-console-h1').click();
  const term = page.getByTestId('console-h1');
  await expect(term).toContainText('h1$');
  await term.click();
  await page.keyboard.type('ping -c 1 10.0.1.12');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('1 packets transmitted, 1 received', { timeout: 20_000 });

  // Delete h3's link (select it on the canvas, Delete): the ping fails. Undo brings it back.
  const mid = await cyEval(page, (cy) => {
    const a = cy.getElementById('h3').renderedPosition();
    const b = cy.getElementById('sw1').renderedPosition();
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  });
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + mid.x, box.y + mid.y);
  await page.keyboard.press('Delete');
  await canvasShows(page, { edges: 2 });
  await term.click();
  await page.keyboard.type('ping -c 1 -W 1 10.0.1.12');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('1 packets transmitted, 0 received', { timeout: 20_000 });

  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await canvasShows(page, { edges: 3 });
  await term.click();
  await page.keyboard.type('ping -c 1 10.0.1.12');
  await page.keyboard.press('Enter');
  await expect(term.locator('.xterm-rows')).toContainText(/1 packets transmitted, 0 received[\s\S]*1 packets transmitted, 1 received/, { timeout: 20_000 });
  await page.getByTestId('tool-redo').click();
  await canvasShows(page, { edges: 2 });
  await page.getByTestId('tool-undo').click();
  await canvasShows(page, { edges: 3 });

  // Save, reload, open the file: the same machines in the same places, the same links.
  const before = await positions(page);
  const saved = page.waitForEvent('download');
  await page.getByTestId('btn-save').click();
  const file = await (await saved).path();
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  expect(doc.links).toHaveLength(3);
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('file-open-input').setInputFiles({ name: 'built.lab.json', mimeType: 'application/json', buffer: readFileSync(file) });
  await expect(page.getByTestId('toolbar')).toContainText('untitled');
  await canvasShows(page, { nodes: 4, edges: 3 });
  expect(await positions(page)).toEqual(before);
  await testInfo.attach('reopened', { path: await shot(page, testInfo, 'reopened') });
});

test('properties: addresses are checked as you type, a rename follows links, link latency applies, undo takes each back', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('machine-bob').click();
  const props = page.getByTestId('properties');
  await expect(props).toContainText('host properties');
  const ip = page.getByTestId('prop-eth0-ip');
  await expect(ip).toHaveValue('10.0.0.12/24');

  await ip.fill('10.0.0.300/24');
  await expect(props.getByRole('alert')).toContainText('10.0.0.300');
  await ip.fill('10.0.0.11/24');
  await expect(props.getByRole('alert')).toContainText(/10\.0\.0\.11/);
  await expect(page.getByTestId('machine-list')).toContainText('10.0.0.12/24'); // the lab kept the last valid value
  await page.getByTestId('prop-gateway').fill('192.168.1.1');
  await expect(props.getByRole('alert').last()).toContainText(/subnet/);
  await page.getByTestId('prop-gateway').fill('');
  await ip.fill('10.0.0.42/24');
  await expect(props.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('machine-list')).toContainText('10.0.0.42/24');
  await testInfo.attach('properties', { path: await shot(page, testInfo, 'properties') });

  // F2 renames the selected machine, as in a file manager: the name field takes the keyboard.
  const name = page.getByTestId('prop-name');
  await page.getByTestId('canvas').focus();
  await page.keyboard.press('F2');
  await expect(name).toBeFocused();
  await page.keyboard.type('carol'); // the old name was selected: typing replaces it
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('machine-carol')).toBeVisible();
  await expect(props).toContainText('host properties');

  // The link from carol to the switch: 20 ms, shown on the edge.
  const mid = await cyEval(page, (cy) => {
    const a = cy.getElementById('carol').renderedPosition();
    const b = cy.getElementById('sw1').renderedPosition();
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  });
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.click(box.x + mid.x, box.y + mid.y);
  await expect(props).toContainText('Link carol:eth0 – sw1:p3');
  await page.getByTestId('prop-latency').fill('20ms');
  await page.getByTestId('prop-latency').press('Enter');
  await page.waitForFunction(() => (globalThis as unknown as { __cy?: CyHandle }).__cy?.edges().map((e) => e.data('label')).some((l) => l.includes('20ms')));

  // Undo: latency, rename, address, one step each.
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
  await expect(page.getByTestId('machine-bob')).toBeVisible();
  await expect(page.getByTestId('machine-list')).toContainText('10.0.0.12/24');
});

test('the example gallery opens a lab with its description, and its script runs', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('btn-examples').click();
  const dialog = page.getByTestId('examples-dialog');
  await expect(dialog.locator('.example-card')).toHaveCount(10);
  await testInfo.attach('gallery', { path: await shot(page, testInfo, 'gallery') });
  await page.getByTestId('example-accept-keeps-port').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('toolbar')).toContainText('accept() keeps the listening port');
  await expect(page.getByTestId('about-lab')).toContainText('the kernel tells the three sockets apart');
  await expect(page.getByTestId('machine-list')).toContainText('client2');
  // Its script runs in the lab: the server's sockets tab shows the two accepted sockets on port 8080.
  await page.getByTestId('machine-server').click();
  await expect(page.getByTestId('packet-list')).toContainText('8080', { timeout: 20_000 });
  await page.getByTestId('btn-new').click();
  await expect(page.getByTestId('about-lab')).toHaveCount(0);
});

test('Shift+click selects several machines; Ctrl+C, Ctrl+V pastes fresh copies; Delete and Ctrl+Z', async ({ page, lab }) => {
  await page.goto(lab.url);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toBeVisible();
  await canvasShows(page, { nodes: 4 });
  await clickNode(page, 'alice');
  await page.keyboard.down('Shift');
  await clickNode(page, 'bob');
  await page.keyboard.up('Shift');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  const list = page.getByTestId('machine-list');
  await expect(page.getByTestId('machine-h1')).toContainText('10.0.0.13/24');
  await expect(page.getByTestId('machine-h2')).toContainText('10.0.0.14/24');
  // The originals are still selected: Delete removes both, Ctrl+Z brings them back.
  await page.keyboard.press('Delete');
  await expect(list).not.toContainText('alice');
  await expect(list).not.toContainText('bob');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('machine-alice')).toBeVisible();
  await expect(page.getByTestId('machine-bob')).toBeVisible();
});

test('a switch shows its MAC table and ports in the Machine panel', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('clock')).toContainText(/t = [1-9]/, { timeout: 20_000 }); // alice's scripted ping at 1 s
  await page.getByTestId('machine-sw1').click();
  const macs = page.getByTestId('mac-table');
  await expect(macs).toContainText('02:00:00:00:03:01'); // alice, learned on p2
  await expect(macs.locator('tr').filter({ hasText: '02:00:00:00:03:01' })).toContainText('p2');
  await expect(macs).toContainText('02:00:00:00:01:01'); // the server, on p1
  await expect(page.getByTestId('switch-ports')).toContainText('bob:eth0');
  await testInfo.attach('mac-table', { path: await shot(page, testInfo, 'mac-table') });
});

test('unsaved changes: New asks first, and Cancel keeps the lab', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('palette-hub').click(); // placed in the middle of the view
  await expect(page.getByTestId('machine-hub1')).toBeVisible();
  await expect(page.getByTestId('dirty-mark')).toBeVisible();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByTestId('btn-new').click();
  await expect.poll(() => asked).toBe('Discard the unsaved changes to "Two hosts and a server on a switch"?');
  await expect(page.getByTestId('machine-hub1')).toBeVisible();
  // Undo back to the opened document: nothing unsaved, New goes ahead without asking.
  await page.getByTestId('tool-undo').click();
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await page.getByTestId('btn-new').click();
  await expect(page.getByTestId('toolbar')).toContainText('untitled');
});

test('Layout arranges the machines as one undoable step; with Snap on a moved machine lands on the grid', async ({ page, lab }) => {
  await page.goto(lab.url);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toBeVisible();
  await canvasShows(page, { nodes: 4 });
  const before = await positions(page);
  await page.getByTestId('tool-layout').click();
  await expect.poll(async () => JSON.stringify(await positions(page))).not.toBe(JSON.stringify(before));
  const laid = await positions(page);
  // A tree from the switch: the switch above the machines cabled to it.
  for (const h of ['server', 'alice', 'bob']) expect(laid[h]!.y).toBeGreaterThan(laid.sw1!.y);
  await page.getByTestId('tool-undo').click();
  await expect.poll(async () => JSON.stringify(await positions(page))).toBe(JSON.stringify(before));

  await page.getByTestId('tool-snap').click();
  const at = await cyEval(page, (cy) => cy.getElementById('bob').renderedPosition());
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + at.x, box.y + at.y);
  await page.mouse.down();
  await page.mouse.move(box.x + at.x + 37, box.y + at.y + 23, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => {
    const p = (await positions(page)).bob!;
    return p.x % 20 === 0 && p.y % 20 === 0 && JSON.stringify(p) !== JSON.stringify(before.bob);
  }).toBe(true);
});

test('a router\'s static routes are edited in its properties; a gateway off its subnets is refused at the field', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('btn-examples').click();
  await page.getByTestId('example-routed').click();
  await page.getByTestId('machine-r1').click();
  await expect(page.getByTestId('prop-route-0-to')).toHaveValue('10.0.2.0/24');
  const via = page.getByTestId('prop-route-0-via');
  await via.fill('10.9.9.9');
  await expect(page.getByTestId('prop-routes').getByRole('alert')).toBeVisible();
  await via.fill('10.0.1.2');
  await expect(page.getByTestId('prop-routes').getByRole('alert')).toHaveCount(0);
  await page.getByTestId('prop-add-route').click();
  await expect(page.getByTestId('prop-route-1-to')).toHaveValue('192.168.100.0/24');
  // The saved file carries both routes.
  const saved = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const doc = JSON.parse(readFileSync(await (await saved).path(), 'utf8'));
  expect(doc.machines.find((m: { id: string }) => m.id === 'r1').routes).toEqual([
    { to: '10.0.2.0/24', via: '10.0.1.2' },
    { to: '192.168.100.0/24', via: '10.0.0.2' }, // suggested: r1's first subnet, .2 since r1 is .1
  ]);
});

test('services and kernel settings are chosen in a machine\'s properties and take effect in the running lab', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('machine-server').click();
  await page.getByTestId('prop-service-ftp').check();
  await page.getByTestId('prop-service-http').check();
  const httpPort = page.getByTestId('prop-service-http-port');
  await httpPort.fill('21'); // taken by ftp: refused at the field
  await expect(page.getByTestId('prop-services').getByRole('alert')).toContainText('port 21/tcp is already taken');
  await httpPort.fill('8080');
  await expect(page.getByTestId('prop-services').getByRole('alert')).toHaveCount(0);
  await page.getByTestId('prop-add-sysctl').selectOption('net.ipv4.tcp_syncookies');
  const cookies = page.getByTestId('prop-sysctl-net.ipv4.tcp_syncookies');
  await expect(cookies).toHaveValue('1'); // added at its default
  await cookies.fill('5');
  await expect(page.getByTestId('prop-sysctls').getByRole('alert')).toContainText('not a valid value for net.ipv4.tcp_syncookies');
  await cookies.fill('0');
  await testInfo.attach('services-and-sysctls', { path: await shot(page, testInfo, 'services-and-sysctls') });

  // The server was re-created with its new settings: its daemons listen, its kernel has the value.
  await page.getByTestId('open-console-server').click();
  const term = page.getByTestId('console-server');
  await expect(term).toContainText('server$');
  await term.click();
  await page.keyboard.type('ss -tln');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sysctl net.ipv4.tcp_syncookies');
  await page.keyboard.press('Enter');
  await expect(term).toContainText('0.0.0.0:21');
  await expect(term).toContainText('0.0.0.0:8080');
  await expect(term).toContainText('net.ipv4.tcp_syncookies = 0');

  const saved = page.waitForEvent('download');
  await page.getByTestId('btn-save').click(); // (Ctrl+S in a terminal is the terminal's)
  const doc = JSON.parse(readFileSync(await (await saved).path(), 'utf8'));
  const server = doc.machines.find((m: { id: string }) => m.id === 'server');
  expect(server.services).toEqual([{ name: 'ftp' }, { name: 'http', port: 8080 }]);
  expect(server.sysctl).toEqual({ 'net.ipv4.tcp_syncookies': 0 });
});

test('a part of the window whose code cannot be loaded says so in its place; the rest of the window stays', async ({ page, lab }, testInfo) => {
  // The Examples dialog is its own chunk (renderer/app/lazy-parts.ts): make fetching it fail, as
  // when the app is rebuilt under an open tab.
  await page.route(/\/assets\/ExamplesDialog-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('btn-examples').click();
  await expect(page.getByTestId('load-failed')).toContainText('The dialog could not be loaded');
  await expect(page.getByTestId('load-failed').getByRole('button', { name: 'Reload' })).toBeVisible();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('packet-list')).toBeVisible();
  await testInfo.attach('load-failed', { path: await shot(page, testInfo, 'load-failed') });
  // Close takes the error box away; the same dialog fails again in a fresh box (React.lazy keeps
  // the failed load), while another dialog gets a place of its own and opens.
  await page.getByTestId('load-failed').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('load-failed')).toHaveCount(0);
  await page.getByTestId('btn-examples').click();
  await expect(page.getByTestId('load-failed')).toContainText('The dialog could not be loaded');
  await page.getByTestId('load-failed').getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('btn-conversations').click();
  await expect(page.getByTestId('stats-dialog')).toBeVisible();
  await expect(page.getByTestId('load-failed')).toHaveCount(0);
});
