import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** What a label looks like on screen: its box in CSS px, and the smallest on-screen type in it. */
export interface DrawnLabel {
  pid: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Smallest font size among the label and its parts, times the zoom: CSS px on screen. */
  fontPx: number;
  /** The same from the box: its height over its lines, against the computed size. */
  boxFontPx: number;
  opacity: number;
}

/** The tree's visible area: the `<svg>`, between the side panes. */
export async function treeArea(page: Page): Promise<{ x0: number; x1: number; y0: number; y1: number }> {
  const r = await page.getByTestId('process-tree').boundingBox();
  if (!r) throw new Error('no tree on the page');
  return { x0: r.x, x1: r.x + r.width, y0: r.y, y1: r.y + r.height };
}

/** The drawn labels of these pids (a process's own node, or the group that holds it). */
export async function drawnLabels(page: Page, pids: readonly number[]): Promise<Array<DrawnLabel | { pid: number; missing: true }>> {
  return page.evaluate((wanted) => {
    const nodes = Array.from(document.querySelectorAll<SVGGElement>('[data-testid=tree-node],[data-testid=tree-group]'));
    return wanted.map((pid) => {
      const g = nodes.find((n) => n.dataset.pid === String(pid) || (n.dataset.pids ?? '').split(',').includes(String(pid)));
      const text = g?.querySelector<SVGTextElement>('text.label');
      if (!g || !text) return { pid, missing: true as const };
      const r = text.getBoundingClientRect();
      const k = text.getScreenCTM()?.a ?? 1;
      const parts = [text, ...Array.from(text.querySelectorAll('tspan'))].filter((el) => (el.textContent ?? '').trim() !== '');
      const sizes = parts.map((el) => parseFloat(getComputedStyle(el).fontSize) * k);
      const lines = text.querySelectorAll('tspan[dy]').length + 1;
      // A line box is about 1.2 × the font size: the box's height says the same from the outside.
      const boxFontPx = r.height / lines / 1.25;
      return { pid, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, fontPx: Math.min(...sizes), boxFontPx, opacity: Number(getComputedStyle(g).opacity) };
    });
  }, pids);
}

/** Labels once the camera has stopped moving (two samples alike), within a generous deadline. */
export async function stillLabels(page: Page, pids: readonly number[]): Promise<DrawnLabel[]> {
  let last = '';
  let labels: Array<DrawnLabel | { pid: number; missing: true }> = [];
  await expect
    .poll(
      async () => {
        labels = await drawnLabels(page, pids);
        const key = JSON.stringify(labels.map((l) => ('missing' in l ? 'missing' : [Math.round(l.x0), Math.round(l.y0)])));
        const still = key === last && !labels.some((l) => 'missing' in l);
        last = key;
        return still;
      },
      { timeout: 20_000, intervals: [400] },
    )
    .toBe(true);
  return labels as DrawnLabel[];
}

/** Every label wholly inside the tree's visible area. */
export async function expectFramed(page: Page, pids: readonly number[]): Promise<DrawnLabel[]> {
  const area = await treeArea(page);
  const labels = await stillLabels(page, pids);
  for (const l of labels) {
    expect(l.x0, `label of ${l.pid} starts inside the tree area`).toBeGreaterThanOrEqual(area.x0);
    expect(l.x1, `label of ${l.pid} ends inside the tree area`).toBeLessThanOrEqual(area.x1);
    expect(l.y0, `label of ${l.pid} is below the top of the tree area`).toBeGreaterThanOrEqual(area.y0);
    expect(l.y1, `label of ${l.pid} is above the bottom of the viewport`).toBeLessThanOrEqual(area.y1);
  }
  return labels;
}

/**
 * The header is one row inside 1280 px: nothing below it, nothing past the right edge, and no
 * part over another (the search box, its input included, ends before the controls start).
 */
export async function expectHeaderOneRow(page: Page): Promise<void> {
  const header = await page.getByTestId('topbar').boundingBox();
  if (!header) throw new Error('no header on the page');
  expect(header.height).toBeLessThanOrEqual(60);
  const boxes = await page
    .getByTestId('topbar')
    .locator(':scope > *, .controls > *')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ bottom: r.bottom, right: r.right })));
  for (const b of boxes) {
    expect(b.bottom).toBeLessThanOrEqual(header.y + header.height);
    expect(b.right).toBeLessThanOrEqual(1280);
  }
  const search = await page.getByTestId('search').boundingBox();
  const controls = await page.getByTestId('topbar').locator('.controls').boundingBox();
  if (!search || !controls) throw new Error('no search box or controls in the header');
  expect(search.x + search.width, 'the search box ends before the controls').toBeLessThanOrEqual(controls.x + 0.5);
}
