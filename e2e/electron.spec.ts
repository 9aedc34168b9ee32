// The desktop shell itself. Runs where the Electron binary exists (under xvfb-run on Linux, see
// scripts/e2e.mjs); elsewhere it skips and prints why. Never probes with require('electron').
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { expect, test } from './fixtures';
import { servicesTraceFile } from './trace-file';
// @ts-expect-error plain .mjs helper shared with `npm start`
import { electronBinary } from '../scripts/electron-binary.mjs';
import { ELECTRON_JS_FLAGS } from '../scripts/engine-flags.mjs';

/** As npm start opens the app (scripts/start.mjs): the engine's V8 flags go in through --js-flags. */
const APP_ARGS = [ELECTRON_JS_FLAGS, '.'];

const bin = (electronBinary as () => { path: string | null; reason: string })();
// Plan when skipped: the same UI is driven in Chromium by the browser-mode specs; this spec runs
// unchanged on any machine where `npm install` could fetch the Electron binary.
const PLAN = 'the renderer is covered through browser mode (ping.spec.ts, kernel.spec.ts); this runs wherever the Electron binary is installed';
if (!bin.path) console.log(`electron e2e skipped: ${bin.reason}. Plan: ${PLAN}`);

test('the desktop app opens the default lab and runs a console command', async () => {
  test.skip(!bin.path, `Electron binary absent: ${bin.reason}. Plan: ${PLAN}`);
  let app: ElectronApplication | undefined;
  try {
    app = await electron.launch({ executablePath: bin.path!, args: APP_ARGS, cwd: process.cwd() });
    const win = await app.firstWindow();
    await expect(win.getByTestId('canvas')).toBeVisible();
    await win.getByTestId('open-console-alice').click();
    const term = win.getByTestId('console-alice');
    await expect(term).toContainText('alice$'); // the terminal (its own chunk) is up and the shell has prompted
    await term.click();
    await win.keyboard.type('ip addr');
    await win.keyboard.press('Enter');
    await expect(term).toContainText('inet 10.0.0.11/24');
  } finally {
    await app?.close();
  }
});

test('Capture asks with the native dialog and opens the chosen trace', async () => {
  test.skip(!bin.path, `Electron binary absent: ${bin.reason}. Plan: ${PLAN}`);
  const trace = servicesTraceFile();
  let app: ElectronApplication | undefined;
  try {
    app = await electron.launch({ executablePath: bin.path!, args: APP_ARGS, cwd: process.cwd() });
    // The person's choice in the dialog, answered in main where the dialog runs.
    await app.evaluate(({ dialog }, chosen) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as unknown as typeof dialog.showOpenDialog;
    }, trace.path);
    const win = await app.firstWindow();
    await expect(win.getByTestId('canvas')).toBeVisible();
    await win.getByTestId('btn-import').click();
    await expect(win.getByTestId('lab-name')).toContainText('Services on a LAN (trace)');
    await expect(win.getByTestId('packet-row').first()).toBeVisible();
  } finally {
    await app?.close();
    trace.remove();
  }
});
