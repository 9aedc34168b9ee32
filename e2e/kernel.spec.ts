// The kernel side of the UI on the backlog example: the listener with its queued children and a
// full accept queue, and for a dropped SYN the lookup steps and the named drop reason.
import { backlogHost, test as base, expect, type LabHost } from './fixtures';
import { showDelivery } from './inspector';
import { shot } from './screenshot';

const test = base.extend<{ backlog: LabHost }>({ backlog: backlogHost });

test('the socket table shows the full accept queue and a dropped SYN explains itself', async ({ page, backlog }, testInfo) => {
  await page.goto(backlog.url);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await page.getByTestId('speed-select').selectOption('10');
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('clock')).toContainText(/t = ([4-9]|1[01])\./, { timeout: 20_000 });
  await page.getByTestId('btn-run').click(); // pause
  await expect(page.getByTestId('btn-run')).toHaveText('Run');

  await page.getByTestId('machine-server').click();
  const table = page.getByTestId('socket-table');
  await expect(table.locator('[data-testid="socket-row"][data-state="LISTEN"]')).toHaveCount(1);
  await expect(table.locator('[data-testid="socket-row"][data-state="ESTABLISHED"][data-queued="true"]')).toHaveCount(2);
  await expect(page.getByTestId('queue-bar-accept')).toHaveAttribute('data-full', 'true');
  await expect(page.getByTestId('queue-bar-accept')).toHaveAttribute('data-capacity', '2');

  // The third client's first SYN: no socket wants it except the listener, whose queue is full.
  await page.getByTestId('packet-row').first().click();
  await page.keyboard.press('Home');
  const syn = page.getByTestId('packet-row').filter({ hasText: '[SYN]' }).filter({ hasNotText: '[SYN, ACK]' }).nth(2);
  await syn.click();
  const delivery = page.getByTestId('delivery');
  await showDelivery(page);
  await expect(delivery).toContainText('LISTEN_OVERFLOW');
  await expect(delivery.locator('[data-testid="delivery-step"][data-table="established"]')).toContainText(/miss/i);
  await expect(delivery.locator('[data-testid="delivery-step"][data-table="listener-any"]')).toContainText(/hit/i);
  await page.getByTestId('delivery-socket').click();
  await expect(table.locator('[data-testid="socket-row"][data-state="LISTEN"]')).toHaveClass(/highlight|selected/);

  await testInfo.attach('backlog-kernel-view', { path: await shot(page, testInfo, 'backlog-kernel-view') });
});
