// Issue 6's acceptance, done as a person would on the services example: filter the SYNs, select the
// one to the FTP server, read how its kernel delivered it, follow the stream (the FTP dialogue in
// the client's and the server's colours), open its flow graph (the handshake first), look at the
// conversations, and export what the filter shows as pcapng, read back with tshark.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test as base, expect, hostWith, startHost, stopHost, type LabHost } from './fixtures';
import { canvasShows } from './canvas';
import { showDelivery } from './inspector';
import { shot } from './screenshot';
import { servicesTraceFile } from './trace-file';

const test = base.extend<{ services: LabHost }>({ services: hostWith(['--lab', 'examples/services.lab.json', '--paused']) });

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

test('filter SYNs, explain one, follow its stream, draw its flow, export what is shown', async ({ page, services }, testInfo) => {
  await page.goto(services.url);
  await page.getByTestId('speed-select').selectOption('max');
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('clock')).toContainText(/t = (1[0-9]|[2-9][0-9])\./, { timeout: 30_000 });
  await page.getByTestId('btn-run').click(); // pause

  const input = page.getByTestId('filter-input');
  await input.fill('tcp.flags.syn == 1');
  await input.press('Enter');
  const rows = page.getByTestId('packet-row');
  await expect.poll(async () => (await rows.allTextContents()).length).toBeGreaterThan(6);
  const synRows = await rows.allTextContents();
  for (const t of synRows) expect(t).toContain('SYN');

  // The SYN to the FTP server, and how the server's kernel took it.
  const ftpSyn = rows.filter({ hasText: /→ 21 \[SYN\]/ }).first();
  await ftpSyn.click();
  await showDelivery(page);
  await expect(page.getByTestId('delivery')).toContainText(/LISTEN|listen/);
  // ...and which syscall sent it: connect() in the ftp client, shown in alice's process table.
  await expect(page.getByTestId('sent-by')).toContainText(/connect\(\d+, 10\.0\.0\.10:21\) in ftp \(pid \d+\) on alice/);
  await testInfo.attach('syn-delivery', { path: await shot(page, testInfo, 'syn-delivery') });
  // The ftp session ended long ago (the script typed bye): the process table says so.
  await page.getByTestId('sent-by-process').click();
  await expect(page.getByText(/Process \d+ is no longer on alice: it has exited since that frame/)).toBeVisible();

  // Follow TCP Stream: the server greets first, the client logs in.
  await page.getByTestId('btn-follow').click();
  const follow = page.getByTestId('follow-dialog');
  await expect(follow).toBeVisible();
  await expect(page.getByTestId('follow-server')).toContainText('10.0.0.10:21');
  await expect(follow.locator('.follow-block.server').first()).toContainText('220 ');
  await expect(follow.locator('.follow-block.client').first()).toContainText('USER ');
  await testInfo.attach('follow-ascii', { path: await shot(page, testInfo, 'follow-ascii') });
  await page.getByTestId('follow-mode').selectOption('hex');
  await expect(follow.locator('.follow-block.server').first()).toContainText(/00000000 {2}32 32 30 20/);

  // Its flow graph: SYN, SYN+ACK, ACK first; clicking an arrow selects its frame.
  await page.getByTestId('follow-flow').click();
  const flow = page.getByTestId('flow-svg');
  await expect(flow).toBeVisible();
  const arrows = flow.locator('g.flow-row');
  await expect(arrows.nth(0)).toContainText('SYN');
  await expect(arrows.nth(1)).toContainText('SYN, ACK');
  await expect(arrows.nth(2)).toContainText('ACK');
  await expect(arrows.nth(0)).toContainText('Seq = 0');
  await testInfo.attach('flow-graph', { path: await shot(page, testInfo, 'flow-graph') });
  const svgDownload = page.waitForEvent('download');
  await page.getByTestId('flow-save-svg').click();
  const svgText = readFileSync(await (await svgDownload).path(), 'utf8');
  const parsed = await page.evaluate((t) => {
    // Runs in the page (the e2e project's types have no DOM).
    type Doc = { getElementsByTagName(n: string): { length: number }; querySelectorAll(s: string): { length: number } };
    const Parser = (globalThis as unknown as { DOMParser: new () => { parseFromString(text: string, type: string): Doc } }).DOMParser;
    const d = new Parser().parseFromString(t, 'image/svg+xml');
    return { errors: d.getElementsByTagName('parsererror').length, rows: d.querySelectorAll('g.flow-row').length };
  }, svgText);
  expect(parsed.errors).toBe(0);
  expect(parsed.rows).toBe(await arrows.count());
  // Save PNG: a PNG (its signature) drawn at twice the graph's size.
  const pngDownload = page.waitForEvent('download');
  await page.getByTestId('flow-save-png').click();
  const png = readFileSync(await (await pngDownload).path());
  expect(png.readUInt32BE(0)).toBe(0x89504e47);
  const svgWidth = Number(/<svg[^>]* width="([\d.]+)"/.exec(svgText)![1]);
  expect(png.readUInt32BE(16)).toBe(Math.round(svgWidth * 2)); // IHDR width
  const fourth = await arrows.nth(3).getAttribute('data-no');
  await arrows.nth(3).click();
  await page.getByTestId('flow-dialog-close').click();
  await expect(page.locator('section[aria-label="Packet details"] .pane-title')).toContainText(`Frame ${fourth}:`);

  // Conversations: the FTP control connection, filtered from its row.
  await page.getByTestId('btn-conversations').click();
  const table = page.getByTestId('stats-table');
  await expect(table).toContainText('10.0.0.10');
  const ftpRow = table.locator('tbody tr').filter({ has: page.locator('td', { hasText: /^21$/ }) }).first();
  await testInfo.attach('conversations', { path: await shot(page, testInfo, 'conversations') });
  await ftpRow.getByRole('button', { name: 'Filter' }).click();
  await expect(input).toHaveValue(/^tcp\.stream == \d+$/);
  await expect.poll(async () => (await rows.allTextContents()).length).toBeGreaterThan(10);

  // One capture point: what the server's NIC saw of that stream (every row there says server:eth0).
  const point = page.getByTestId('point-select');
  await point.focus();
  await expect(point.locator('option[value="server:eth0"]')).toHaveCount(1);
  await point.selectOption('server:eth0');
  await expect.poll(async () => (await rows.allTextContents()).length).toBeGreaterThan(10);
  for (const t of await rows.allTextContents()) expect(t).toContain('server:eth0');
  await testInfo.attach('capture-point', { path: await shot(page, testInfo, 'capture-point') });
  // A row seen at the server (a copy of a frame alice sent) follows the same stream; filtering to
  // the stream from there shows it as the whole trace numbers it, each frame once.
  await rows.first().click(); // alice's SYN as the server received it: a copy, not its first capture
  await page.getByTestId('btn-follow').click();
  await expect(page.getByTestId('follow-server')).toContainText('10.0.0.10:21');
  await page.getByTestId('follow-filter').click();
  await expect(point).toHaveValue('');

  // The I/O graph: every frame per second as a line, the filtered stream's frames as bars.
  await page.getByTestId('btn-io').click();
  const io = page.getByTestId('io-svg');
  await expect(io.locator('polyline.io-all')).toHaveCount(1);
  await expect.poll(async () => io.locator('rect.io-sel').count()).toBeGreaterThan(0);
  await page.getByTestId('io-interval').selectOption(String(100e6));
  await expect(io).toContainText('Frames per 100 ms');
  await testInfo.attach('io-graph', { path: await shot(page, testInfo, 'io-graph') });
  await page.getByTestId('io-dialog-close').click();

  // Export what the filter shows; tshark reads it and finds the same frames its own filter does.
  // A new filter or capture point starts the list empty (only the header row) until its rows come.
  const grid = page.getByTestId('packet-list');
  await expect(grid).not.toHaveAttribute('aria-rowcount', '1');
  const shown = Number(await grid.getAttribute('aria-rowcount')) - 1; // the header row counts
  const exported = page.waitForEvent('download');
  await page.getByTestId('btn-export-pcapng').click();
  const file = await (await exported).path();
  expect(readFileSync(file).readUInt32LE(0)).toBe(0x0a0d0d0a);
  test.skip(!hasTshark, 'tshark is not installed, so the read-back is skipped. Plan: .ci/run installs it (apt-get install -y tshark); install it to run this step locally');
  const frames = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.dstport', '-e', 'tcp.srcport'], { encoding: 'utf8' }).trim().split('\n');
  expect(frames.length).toBe(shown);
  for (const f of frames) expect(f.split('\t')).toContain('21');
  expect(execFileSync('tshark', ['-r', file, '-q', '-z', 'expert,error'], { encoding: 'utf8' })).not.toMatch(/Malformed/);
});

test('a capture from tcpdump opens in the packet list, and its stream can be followed', async ({ page, lab }, testInfo) => {
  const file = 'e2e/captures/a.pcap'; // tcpdump on a real kernel (captures/README.md)
  await page.goto(lab.url);
  await expect(page.getByTestId('btn-import')).toBeEnabled();
  await page.getByTestId('capture-open-input').setInputFiles(file);
  await expect(page.getByTestId('about-lab')).toContainText('Imported 21 packets from a.pcap (pcap)');
  const grid = page.getByTestId('packet-list');
  await expect(grid).toHaveAttribute('aria-rowcount', '22');
  const rows = page.getByTestId('packet-row');
  await expect(rows.first()).toContainText('[SYN]');
  await rows.nth(3).click();
  await page.getByTestId('btn-follow').click();
  await expect(page.getByTestId('follow-client')).toContainText('10.0.0.1:42620 → 10.0.0.2:5000: 19 bytes');
  await expect(page.getByTestId('follow-text')).toContainText('hello from client 1');
  await expect(page.getByTestId('follow-text')).toContainText('hello from server');
  await testInfo.attach('imported-follow', { path: await shot(page, testInfo, 'imported-follow') });
});

test('a trace file named with --trace opens at start: its frames, and how each was delivered', async ({ page }, testInfo) => {
  const trace = servicesTraceFile();
  let host: LabHost | undefined;
  try {
    host = await startHost(['--trace', trace.path]);
    // The list's first pages are asked for as the state arrives (api/ahead.ts): the list takes those
    // replies, so no page goes to the host twice.
    const pagesAsked: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        const m = JSON.parse(String(payload)) as { method?: string; args?: [{ allCapturePoints?: boolean }] };
        // The list's pages (the canvas's overlay asks for every capture point's rows).
        if (m.method === 'listFrames' && !m.args?.[0]?.allCapturePoints) pagesAsked.push(JSON.stringify(m.args));
      }),
    );
    await page.goto(host.url);
    await expect(page.getByTestId('lab-name')).toContainText('Services on a LAN (trace)');
    // The canvas waits for the list's first rows, then loads (empty: the trace brings frames, not a topology).
    await expect(page.getByTestId('packet-row').first()).toBeVisible();
    expect(pagesAsked.length).toBeGreaterThan(0);
    expect(new Set(pagesAsked).size, `pages asked for: ${pagesAsked.join(' ')}`).toBe(pagesAsked.length);
    await canvasShows(page, { nodes: 0 });
    const input = page.getByTestId('filter-input');
    await input.fill('tcp.dstport == 21 && tcp.flags.syn == 1');
    await input.press('Enter');
    const syn = page.getByTestId('packet-row').first();
    await expect(syn).toContainText('→ 21 [SYN]');
    await syn.click();
    await showDelivery(page);
    await expect(page.getByTestId('delivery')).toContainText(/LISTEN|listen/);
    await testInfo.attach('trace-opened', { path: await shot(page, testInfo, 'trace-opened') });
  } finally {
    if (host) await stopHost(host);
    trace.remove();
  }
});
