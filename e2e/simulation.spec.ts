// The simulation view, the way a person uses it: step a paused lab frame by frame and watch each
// frame travel along its link (a switch floods the ARP request to both other ports), click a frame
// on the canvas to select it in the packet list, see a drop flash where it happened, and watch
// frames move in slow motion.
import type { Page } from '@playwright/test';
import { canvasShows, machineOnCanvas } from './canvas';
import { expect, hostWith, test as base, type LabHost } from './fixtures';
import { shot } from './screenshot';

const test = base.extend<{ paused: LabHost }>({ paused: hostWith(['--paused']) });

interface Drawn {
  no: number;
  listNo: number;
  from: string;
  to: string;
  protocol: string;
  lost: boolean;
  x: number;
  y: number;
}
type SimHandle = { envelopes(): Drawn[]; flashes(): { target: { edge: string } | { machine: string }; reason: string }[] };

const envelopes = (page: Page) => page.evaluate(() => (globalThis as unknown as { __sim: SimHandle }).__sim.envelopes());
const flashes = (page: Page) => page.evaluate(() => (globalThis as unknown as { __sim: SimHandle }).__sim.flashes());

const hops = (list: Drawn[]) => list.map((e) => `${e.protocol} ${e.from}->${e.to}`).sort();

test('stepping a paused lab draws each frame on its link; a click on a frame selects it in the packet list', async ({ page, paused }, testInfo) => {
  await page.goto(paused.url);
  await expect(page.getByTestId('btn-run')).toHaveAttribute('aria-pressed', 'false');
  await canvasShows(page, { nodes: 4 });

  // alice's scripted ping starts at 1 s: its ARP request leaves alice for the switch.
  await page.getByTestId('btn-step').click();
  await expect(page.getByTestId('clock')).toContainText('1.000');
  await expect.poll(async () => hops(await envelopes(page))).toEqual(['ARP alice->sw1']);
  const alice = await machineOnCanvas(page, 'alice');
  const [leaving] = await envelopes(page);
  expect(Math.hypot(leaving!.x - alice.x, leaving!.y - alice.y)).toBeLessThan(8); // still at alice: it has just been sent

  // Next frame: it reaches sw1, which floods it out of its two other ports.
  await page.getByTestId('btn-step').click();
  await expect.poll(async () => hops(await envelopes(page))).toEqual(['ARP sw1->bob', 'ARP sw1->server']);
  await testInfo.attach('simulation-flood', { path: await shot(page, testInfo, 'simulation-flood') });

  // Step on until the echo request is on a wire, then click it.
  let icmp: Drawn | undefined;
  for (let i = 0; i < 12 && !icmp; i++) {
    await page.getByTestId('btn-step').click();
    await page.waitForTimeout(400); // let the drawing catch up with the step (a glide takes 250 ms)
    icmp = (await envelopes(page)).find((e) => e.protocol === 'ICMP');
  }
  expect(icmp, 'an ICMP echo request on a wire within 12 frame steps').toBeDefined();
  await page.mouse.move(icmp!.x, icmp!.y);
  await expect(page.getByTestId('sim-tip')).toContainText('Echo (ping) request');
  await page.mouse.down();
  await page.mouse.up();
  const selected = page.getByTestId('packet-list').locator('[aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-no', String(icmp!.listNo));
  await expect(selected).toContainText('Echo (ping) request');
  await expect(page.getByTestId('detail-tree')).toContainText('Internet Control Message Protocol');
  await testInfo.attach('simulation-select', { path: await shot(page, testInfo, 'simulation-select') });
});

test('a dropped frame flashes where it was dropped, with the reason', async ({ page, paused }, testInfo) => {
  await page.goto(paused.url);
  await expect(page.getByTestId('btn-run')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('open-console-bob').click();
  const term = page.getByTestId('console-bob');
  await expect(term).toContainText('bob$');
  await term.click();
  // A datagram to a port nobody listens on: the server has no socket for it.
  await page.keyboard.type(`sock 'socket udp; connect 10.0.0.10:9; send hello'`);
  await page.keyboard.press('Enter');
  let seen: Awaited<ReturnType<typeof flashes>> = [];
  for (let i = 0; i < 12 && !seen.some((f) => f.reason === 'NO_SOCKET'); i++) {
    await page.getByTestId('btn-step').click();
    await page.waitForTimeout(150);
    seen = await flashes(page);
  }
  expect(seen).toContainEqual({ target: { machine: 'server' }, reason: 'NO_SOCKET' });
  await testInfo.attach('simulation-drop', { path: await shot(page, testInfo, 'simulation-drop') });
});

test('in slow motion frames travel along the links while the lab runs', async ({ page, paused }) => {
  await page.goto(paused.url);
  await page.getByTestId('speed-select').selectOption('0.001');
  // The canvas (its own chunk) is drawn before the nodes' places are read.
  await canvasShows(page, { nodes: 4 });
  await page.getByTestId('btn-run').click();
  // 0.001x: a 1 ms link takes a second to cross; the idle second before alice's ping is skipped.
  const alice = await machineOnCanvas(page, 'alice');
  const sw1 = await machineOnCanvas(page, 'sw1');
  await expect
    .poll(async () => (await envelopes(page)).some((e) => e.from === 'alice' && Math.hypot(e.x - alice.x, e.y - alice.y) > 10 && Math.hypot(e.x - sw1.x, e.y - sw1.y) > 10), { timeout: 10_000 })
    .toBe(true);
});
