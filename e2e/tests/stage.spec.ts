import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fetchSnapshot, findChain, pageUrl, serverUrl } from '../api.ts';
import { docker, repoRoot } from '../lab.ts';
import { makeNoise } from '../noise.ts';
import type { Noise } from '../noise.ts';
import { drawnLabels, expectFramed, expectHeaderOneRow, stillLabels } from '../stage.ts';

/**
 * The stage, as the audience sees it at 1280×720 on a host made noisy on purpose: the chain of a
 * container framed and readable, still under churn and toggles, big groups compact, lifecycle visible.
 */
const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `stage-${name}.png`) });

let noise: Noise;
test.describe.configure({ mode: 'serial', timeout: 150_000 });
test.beforeAll(async () => {
  test.setTimeout(180_000);
  noise = await makeNoise();
});
test.afterAll(async () => {
  await noise?.stop();
  await docker('rm', '-f', 'web2').catch(() => '');
});

/** db's runtime chain as the server sees it: dockerd → containerd → shim → every process of db. */
async function dbChain(): Promise<number[]> {
  const snapshot = await fetchSnapshot();
  const { dockerd, containerd, shim } = findChain(snapshot, 'db');
  const db = snapshot.containers.find((c) => c.name === 'db');
  return [dockerd.pid, containerd.pid, shim.pid, ...(db?.pids ?? [])];
}

async function openDb(page: Page, query = ''): Promise<void> {
  await page.goto(pageUrl(query));
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('container-item').filter({ hasText: 'db' }).first().click();
}

test('clicking db frames its whole chain inside the tree area, with the detail pane closed and open', async ({ page }) => {
  await docker('exec', '-d', 'db', 'sleep', '1800');
  await expect.poll(async () => (await fetchSnapshot()).containers.find((c) => c.name === 'db')?.pids.length ?? 0).toBeGreaterThanOrEqual(2);
  const chain = await dbChain();
  await openDb(page);
  await expectFramed(page, chain);
  await shot(page, 'db-framed');
  // The detail pane takes 440 px: the chain is framed again in what is left.
  await page.locator(`[data-testid="tree-node"][data-pid="${chain[3]}"] text.label`).click();
  await expect(page.getByTestId('detail-pane')).toBeVisible();
  const labels = await expectFramed(page, chain);
  expect(labels.length).toBe(chain.length);
  await shot(page, 'db-framed-pane-open');
});

test('?container=db opens with the chain framed, not zoomed on one process', async ({ page }) => {
  const chain = await dbChain();
  await page.goto(pageUrl(`container=db`));
  await expectFramed(page, chain);
  const labels = await stillLabels(page, chain);
  // Readable, not a speck: at least the normal type size.
  for (const l of labels) expect(l.fontPx, `label of ${l.pid}`).toBeGreaterThanOrEqual(11.5);
});

test('workshop mode: every label of the framed chain is 18 px or more on screen and unclipped, pane open or closed', async ({ page }) => {
  const chain = await dbChain();
  await openDb(page);
  await page.keyboard.press('w');
  await expect(page.locator('html')).toHaveAttribute('data-workshop', 'on');
  for (const paneOpen of [false, true]) {
    if (paneOpen) await page.locator(`[data-testid="tree-node"][data-pid="${chain[3]}"] text.label`).click();
    const labels = await expectFramed(page, chain);
    for (const l of labels) {
      expect(l.fontPx, `type of ${l.pid} on screen`).toBeGreaterThanOrEqual(18);
      expect(l.boxFontPx, `line height of ${l.pid} on screen`).toBeGreaterThanOrEqual(17);
    }
    await shot(page, `workshop-${paneOpen ? 'pane-open' : 'pane-closed'}`);
  }
});

test('the header fits one row at 1280 px in every mode', async ({ page }) => {
  await page.goto(serverUrl());
  const oneRow = (): Promise<void> => expectHeaderOneRow(page);
  await oneRow();
  await page.keyboard.press('w');
  await oneRow();
  await page.getByTestId('theme').click();
  await page.keyboard.press('l');
  await page.getByTestId('search').fill('redis-server');
  await oneRow();
  await shot(page, 'header-workshop');
});

test('churn and toggles: unrelated births and deaths leave the chain still; v, t, theme and workshop keep it framed', async ({ page }) => {
  const chain = await dbChain();
  await openDb(page);
  const before = await stillLabels(page, chain);
  // Half a minute of a busy host: hundreds of births and deaths, none of them db's.
  const drift: number[] = [];
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(1500);
    const now = await drawnLabels(page, chain);
    for (const l of now) {
      const was = before.find((b) => b.pid === l.pid);
      if (!was || 'missing' in l) throw new Error(`label of ${l.pid} went missing under churn`);
      drift.push(Math.max(Math.abs(l.x0 - was.x0), Math.abs(l.y0 - was.y0)));
    }
  }
  console.log(`chain drift under churn, px: max ${Math.max(...drift).toFixed(1)} over ${drift.length} samples`);
  expect(Math.max(...drift)).toBeLessThanOrEqual(3);
  for (const key of ['t', 't', 'v']) {
    await page.keyboard.press(key);
    // In the kernel view the chain is what the kernel says: the shim and db's processes.
    await expectFramed(page, key === 'v' ? chain.slice(2) : chain);
  }
  await page.keyboard.press('v');
  await page.getByTestId('theme').click();
  await expectFramed(page, chain);
  await page.keyboard.press('w');
  const labels = await expectFramed(page, chain);
  for (const l of labels) expect(l.fontPx).toBeGreaterThanOrEqual(18);
  await shot(page, 'toggled');
});

test('800 identical sleepers stay one node: search counts them on the group, the side pane lists them, folding is reversible', async ({ page }) => {
  const sleepers = noise.sleeperPids();
  expect(sleepers.length).toBe(800);
  await page.goto(pageUrl(`pid=${sleepers[0]}`));
  const group = page.locator('[data-testid="tree-group"][data-name="sleep"]').filter({ has: page.locator('text.label', { hasText: /^799\*\[sleep\]/ }) });
  await expect(group).toHaveCount(1);
  await page.getByTestId('search').fill('sleep 1200');
  await expect(page.getByTestId('match-count')).toHaveText(/^(8\d\d|9\d\d|\d{4,}) matches$/);
  await expect(group.locator('.match-count')).toHaveText(' · 799 matches');
  const drawn = async () => Number(await page.getByTestId('process-tree').getAttribute('data-drawn'));
  expect(await drawn()).toBeLessThan(600);
  // Its label starts beside the selected sleeper; the rest may run under the detail pane.
  await group.locator('text.label').click({ position: { x: 30, y: 8 } });
  const list = page.getByTestId('group-list');
  await expect(list).toBeVisible();
  await expect(list.getByTestId('group-row')).toHaveCount(25);
  await expect(list.getByTestId('group-page')).toHaveText('1–25 of 800');
  await list.getByRole('button', { name: 'next ›' }).click();
  await expect(list.getByTestId('group-page')).toHaveText('26–50 of 800');
  const domNodes = await page.locator('svg.tree g.node').count();
  console.log(`DOM after opening the 800 group: ${domNodes} tree nodes, ${await page.locator('*').count()} elements`);
  expect(domNodes).toBeLessThan(600);
  await list.getByTestId('group-filter').fill(String(sleepers[400]));
  await expect(list.getByTestId('group-row')).toHaveCount(1);
  await list.getByTestId('group-row').click();
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(sleepers[400]));
  await expect(page.locator(`[data-testid="tree-node"][data-pid="${sleepers[400]}"]`)).toHaveCount(1);
  await shot(page, 'big-group');
  // Fold the sleepers' shell, then unfold it: the group is back as it was, one node.
  const parentPid = Number(await page.locator(`[data-testid="tree-link"][data-target="${sleepers[400]}"]`).getAttribute('data-source'));
  const parent = page.locator(`[data-testid="tree-node"][data-pid="${parentPid}"]`);
  await parent.locator('circle').last().click();
  await expect(parent).toHaveAttribute('aria-expanded', 'false');
  await expect(group).toHaveCount(0);
  await parent.locator('circle').last().click();
  await expect(parent).toHaveAttribute('aria-expanded', 'true');
  await expect(group).toHaveCount(1);
  expect(await drawn()).toBeLessThan(600);
});

test('a new container pulses with a toast, and a stopped one fades out over 2–3 s with its exit code', async ({ page }) => {
  await docker('rm', '-f', 'web2').catch(() => '');
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await docker('run', '-d', '--name=web2', '--network=none', 'redis:alpine');
  await expect(page.getByTestId('container-item').filter({ hasText: 'web2' })).toHaveClass(/flash/);
  // Read the toast and the pulse in one go, in the page: both go by themselves after a few seconds.
  let toastText = '';
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        const found = await page.evaluate(() => {
          const texts = Array.from(document.querySelectorAll('[data-testid=toast]')).map((t) => t.textContent ?? '');
          const text = texts.find((t) => /^web2 started: redis-server, pid \d+$/.test(t)) ?? '';
          const pid = /pid (\d+)/.exec(text)?.[1];
          const pulsing = pid ? (document.querySelector(`[data-testid="tree-node"][data-pid="${pid}"]`)?.classList.contains('pulse') ?? false) : false;
          return { texts, text: pulsing ? text : '' };
        });
        found.texts.forEach((t) => seen.add(t));
        return (toastText = found.text);
      },
      { timeout: 20_000 },
    )
    .not.toBe('')
    .finally(() => console.log(`toasts seen: ${JSON.stringify([...seen])}`));
  const pid = Number(/pid (\d+)/.exec(toastText)?.[1]);
  await shot(page, 'new-container');
  expect(pid).toBe((await fetchSnapshot()).containers.find((c) => c.name === 'web2')?.pid);
  // The toast goes by itself; the event stays in the timeline however much the host churns.
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId('timeline-event').filter({ hasText: 'container web2 started' })).toHaveCount(1);

  await page.getByTestId('container-item').filter({ hasText: 'web2' }).click();
  const node = page.locator(`[data-testid="tree-node"][data-pid="${pid}"]`);
  await expect(node).toBeVisible();
  // Sampled in the page, every 50 ms (as often as a busy page allows), until the node has gone.
  type Sample = { t: number; opacity: number; text: string; card: string; duration: number | null };
  const sampling = page.evaluate(
    (target) =>
      new Promise<Sample[]>((resolve) => {
        const samples: Sample[] = [];
        const start = performance.now();
        const tick = (): void => {
          const g = document.querySelector(`[data-testid="tree-node"][data-pid="${target}"]`);
          if (!g || performance.now() - start > 30_000) return resolve(samples);
          const fade = g.getAnimations().find((a) => (a as CSSAnimation).animationName === 'depart');
          const duration = fade ? Number(fade.effect?.getTiming().duration) : null;
          const card = document.querySelector('[data-testid="container-item"][data-container-name="web2"]')?.textContent ?? '';
          samples.push({ t: performance.now() - start, opacity: Number(getComputedStyle(g).opacity), text: g.textContent ?? '', card, duration });
          setTimeout(tick, 50);
        };
        tick();
      }),
    pid,
  );
  await docker('kill', 'web2');
  await expect(node).toHaveClass(/departing/, { timeout: 20_000 });
  await page.waitForTimeout(900);
  await shot(page, 'fading');
  const samples = await sampling;
  const fading = samples.filter((s) => s.duration !== null);
  console.log(`fade of web2's redis-server: ${fading.map((s) => `${s.t.toFixed(0)}ms ${s.opacity.toFixed(2)}`).join(', ')}`);
  // The fade itself: 2–3 s long, only ever fading, seen part way, and seen to the end before the node goes.
  expect(fading.length).toBeGreaterThanOrEqual(3);
  for (const s of fading) expect(s.duration).toBeGreaterThanOrEqual(2000);
  for (const s of fading) expect(s.duration).toBeLessThanOrEqual(3000);
  for (let i = 1; i < fading.length; i++) expect(fading[i]?.opacity ?? 1).toBeLessThanOrEqual((fading[i - 1]?.opacity ?? 0) + 0.02);
  expect(fading.some((s) => s.opacity > 0.1 && s.opacity < 0.9)).toBe(true);
  expect(fading[fading.length - 1]?.opacity).toBeLessThanOrEqual(0.05);
  // Its label says it exited; with the exit code as soon as the engine has told it (the card says so).
  expect(fading.every((s) => s.text.includes('exited'))).toBe(true);
  for (const s of samples.filter((x) => x.card.includes('exited (137)'))) expect(s.text).toContain('exited (137)');
  console.log(`exit code on the fading label: ${samples.some((x) => x.text.includes('exited (137)')) ? 'shown' : 'not yet known while it faded'}`);
  await expect(node).toHaveCount(0);
  await expect(page.getByTestId('container-item').filter({ hasText: 'web2' })).toContainText('exited (137)');
});

test('the Docker focus is on in workshop mode: one "+N other processes" node, and the timeline keeps to containers', async ({ page }) => {
  await page.goto(serverUrl());
  await page.keyboard.press('w');
  await expect(page.getByTestId('docker-focus')).toHaveAttribute('aria-pressed', 'true');
  const others = page.getByTestId('tree-others');
  await expect(others).toHaveCount(1);
  await expect(others.locator('text.label')).toHaveText(/^\+\d+ other processes$/);
  const hidden = Number((await others.locator('text.label').textContent())?.match(/\d+/)?.[0]);
  expect(hidden).toBeGreaterThan(800);
  expect(Number(await page.getByTestId('process-tree').getAttribute('data-total'))).toBeLessThan(60);
  await expect(page.getByTestId('timeline-focus')).toBeChecked();
  await page.waitForTimeout(3000);
  const kinds = await page.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  expect(kinds.filter((t) => /^\S+ sleep\(\d+\) (started|exited)$/.test(t.replace(/^[\d:. APM]+/, '').trim()))).toEqual([]);
  await shot(page, 'docker-focus');
  await others.locator('text.label').click();
  await expect(page.getByTestId('docker-focus')).toHaveAttribute('aria-pressed', 'false');
  await expect(others).toHaveCount(0);
});

test('search puts the container before command lines that merely contain its name', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await page.goto(serverUrl());
  await page.getByTestId('search').fill('db');
  await page.getByTestId('search').press('Enter');
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(init.pid));
});
