// Steps on the inspector that several specs share.
import { expect, type Page } from '@playwright/test';

/** Opens "How it was delivered" if it is folded. It opens by default and loads its cards after the
 *  click on a row, so waiting for a card first (or toggling when none is there yet) would race. */
export async function showDelivery(page: Page): Promise<void> {
  const toggle = page.getByTestId('delivery-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}
