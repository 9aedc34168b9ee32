// Services, done the way a person does it: right-click the server on the canvas, open Services,
// start FTP (and see why a second daemon cannot have its port), then from alice's console log in
// with ftp, list the directory, and find the FTP packets in the packet list and the login in the
// server's log.
import { canvasHas, machineOnCanvas } from './canvas';
import { expect, test } from './fixtures';
import { shot } from './screenshot';

test('start FTP from the server\'s context menu, log in with ftp from alice, ls, and see FTP in the packet list', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('clock')).toContainText('s');

  // Right-click the server: its menu offers Services… (a switch's would not).
  const server = await machineOnCanvas(page, 'server');
  await page.mouse.click(server.x, server.y, { button: 'right' });
  const menu = page.getByTestId('node-menu');
  await expect(menu).toContainText('server');
  await expect(menu.getByTestId('menu-services')).toBeEnabled();
  await testInfo.attach('context-menu', { path: await shot(page, testInfo, 'context-menu') });
  await menu.getByTestId('menu-services').click();
  await expect(menu).toHaveCount(0);

  const dialog = page.getByTestId('services-dialog');
  await expect(dialog).toHaveAttribute('data-machine', 'server');
  await expect(dialog.getByTestId('service-row')).toHaveCount(8);
  await expect(dialog.getByTestId('service-status-ftp')).toHaveText('stopped');
  await expect(dialog.getByTestId('service-port-ftp')).toHaveValue('21');
  await expect(dialog.getByTestId('services-ssh-note')).toContainText('real randomness');

  await dialog.getByTestId('service-start-ftp').click();
  await expect(dialog.getByTestId('service-status-ftp')).toHaveText(/^running · pid \d+ · port 21\/tcp$/);
  const started = dialog.getByTestId('service-message-ftp');
  await expect(started).toHaveAttribute('data-kind', 'ok');
  await expect(started).toContainText(/Started ftp: ftpd \(pid \d+\) on port 21\/tcp/);
  const ftpPid = /pid (\d+)/.exec((await dialog.getByTestId('service-status-ftp').textContent()) ?? '')![1];
  await expect(dialog.getByTestId('service-port-ftp')).toBeDisabled();
  await expect(dialog.getByTestId('service-stop-ftp')).toBeEnabled();

  // A second daemon on the same port: the command's own reason shows under its row.
  await dialog.getByTestId('service-port-http').fill('21');
  await dialog.getByTestId('service-start-http').click();
  const clash = dialog.getByTestId('service-message-http');
  await expect(clash).toHaveAttribute('data-kind', 'error');
  await expect(clash).toContainText('service http start 21');
  await expect(clash).toContainText(`port 21 in use by ftpd pid ${ftpPid}`);
  await expect(dialog.getByTestId('service-status-http')).toHaveText('stopped');
  await testInfo.attach('services-dialog', { path: await shot(page, testInfo, 'services-dialog') });
  await dialog.getByTestId('services-close').click();
  await expect(dialog).toHaveCount(0);

  // From another machine: ftp to the server, log in (the password is not echoed), ls, bye.
  await page.getByTestId('open-console-alice').click();
  const term = page.getByTestId('console-alice');
  await expect(term).toContainText('alice$');
  await term.click();
  const typeLine = async (text: string) => {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };
  await typeLine('ftp 10.0.0.10');
  await expect(term).toContainText('220 (PacketLab ftpd 1.0)');
  await expect(term).toContainText('Name (10.0.0.10:');
  await typeLine('student');
  await expect(term).toContainText('Password:');
  await typeLine('student');
  await expect(term).toContainText('230 Login successful.');
  await expect(term.locator('.xterm-rows')).not.toContainText('Password: student');
  await typeLine('ls');
  await expect(term).toContainText('226 Directory send OK.');
  await expect(term.locator('.xterm-rows')).toContainText('notes.txt');
  await testInfo.attach('ftp-session', { path: await shot(page, testInfo, 'ftp-session') });
  await typeLine('bye');
  await expect(term).toContainText('221 Goodbye.');

  // The packet list names the FTP segments in its Protocol column.
  const list = page.getByTestId('packet-list');
  const ftpRows = list.getByTestId('packet-row').filter({ has: page.getByRole('gridcell', { name: 'FTP', exact: true }) });
  await expect(ftpRows.first()).toBeVisible();
  await expect(list.getByTestId('packet-row').filter({ hasText: '221 Goodbye' }).first()).toBeVisible();
  await ftpRows.last().click();
  await expect(page.getByTestId('detail-tree')).toContainText('File Transfer Protocol (FTP)');
  await testInfo.attach('ftp-packets', { path: await shot(page, testInfo, 'ftp-packets') });

  // The server's Log tab has the login, with its lab time.
  await page.getByTestId('machine-server').click();
  await page.getByTestId('machine-tab-log').click();
  const log = page.getByTestId('machine-log');
  await expect(log.getByTestId('log-line').filter({ hasText: 'OK LOGIN: Client "10.0.0.11", user "student"' })).toHaveCount(1);
  await expect(log.getByTestId('log-line').filter({ hasText: `ftpd[` }).first()).toBeVisible();
  await testInfo.attach('server-log', { path: await shot(page, testInfo, 'server-log') });
});

test('bridge the server\'s web service to 127.0.0.1 from the Services dialog; a real HTTP request gets the page and the gateway joins the canvas', async ({ page, lab }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  const server = await machineOnCanvas(page, 'server');
  await page.mouse.click(server.x, server.y, { button: 'right' });
  await page.getByTestId('node-menu').getByTestId('menu-services').click();
  const dialog = page.getByTestId('services-dialog');
  await dialog.getByTestId('service-start-http').click();
  await expect(dialog.getByTestId('service-status-http')).toHaveText(/^running · pid \d+ · port 80\/tcp$/);

  const panel = dialog.getByTestId('bridge-panel');
  await expect(panel.getByTestId('bridge-service')).toHaveValue('http');
  // Any free local port: the default (8080) may be taken on the machine running the tests.
  await panel.getByTestId('bridge-local-port').fill(String(20000 + (process.pid % 20000)));
  await panel.getByTestId('bridge-start').click();
  const row = panel.getByTestId('bridge-row');
  await expect(row).toContainText(/127\.0\.0\.1:\d+ → server:80/);
  await expect(row).toContainText('curl -v http://127.0.0.1:');
  const port = Number(/127\.0\.0\.1:(\d+)/.exec((await row.textContent()) ?? '')![1]);
  await testInfo.attach('bridge', { path: await shot(page, testInfo, 'bridge') });

  // A real client on this computer (the test runner itself) reaches the simulated server.
  const res = await fetch(`http://127.0.0.1:${port}/`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<h1>It works: server</h1>');
  await canvasHas(page, 'bridge');
});
