// The topology canvas as several specs read it, through window.__cy (the canvas's read-only
// diagnostic handle onto cytoscape).
import type { Page } from '@playwright/test';

/** The part of cytoscape's API the specs read. */
export type CyHandle = {
  nodes(): { length: number; map<T>(f: (n: { id(): string; position(): { x: number; y: number } }) => T): T[] };
  edges(): { length: number; map<T>(f: (e: { data(key: string): string }) => T): T[] };
  getElementById(id: string): { length: number; renderedPosition(): { x: number; y: number }; position(): { x: number; y: number } };
};

/** Wait until the canvas (its own chunk) draws `nodes` machines and, if given, `edges` links. */
export async function canvasShows(page: Page, counts: { nodes?: number; edges?: number }): Promise<void> {
  await page.waitForFunction(({ nodes, edges }) => {
    const cy = (globalThis as unknown as { __cy?: CyHandle }).__cy;
    return !!cy && (nodes === undefined || cy.nodes().length === nodes) && (edges === undefined || cy.edges().length === edges);
  }, counts);
}

/** Wait until the canvas draws machine `id`. */
export async function canvasHas(page: Page, id: string): Promise<void> {
  await page.waitForFunction((m) => (globalThis as unknown as { __cy?: CyHandle }).__cy?.getElementById(m).length === 1, id);
}

/** Where cytoscape drew machine `id`, in page coordinates (once it is drawn). */
export async function machineOnCanvas(page: Page, id: string): Promise<{ x: number; y: number }> {
  await canvasHas(page, id);
  const at = await page.evaluate((m) => (globalThis as unknown as { __cy: CyHandle }).__cy.getElementById(m).renderedPosition(), id);
  const box = (await page.getByTestId('canvas').boundingBox())!;
  return { x: box.x + at.x, y: box.y + at.y };
}
