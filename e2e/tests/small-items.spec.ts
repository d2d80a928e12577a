import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { fetchSnapshot, findChain, pageUrl } from '../api.ts';

/** The small things issue 12 listed, each checked as it is drawn. */

test('copying on plain http: with no clipboard API and copying refused, the command is selected and the page says press Ctrl+C', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  // What a LAN address gives: no navigator.clipboard outside a secure context, and here execCommand refuses too.
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    document.execCommand = () => false;
  });
  await page.goto(pageUrl(`pid=${init.pid}`));
  const section = page.getByTestId('section-cgroup');
  await section.getByTestId('copy').click();
  await expect(section.getByTestId('copy-hint')).toHaveText('selected: press Ctrl+C');
  expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(`cat /proc/${init.pid}/cgroup`);
});

test('threads are listed as pstree -pt prints them, and the exec-time variables are explained', async ({ page }) => {
  const { init } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl(`pid=${init.pid}`));
  await expect(page.getByTestId('section-threads')).toContainText(`pstree -pt ${init.pid}`);
  const env = page.getByTestId('section-configured-env');
  await expect(env).toContainText('and docker exec starts a new process');
  await expect(env.getByTestId('exec-env-note')).toContainText('HOSTNAME');
  await expect(env.getByTestId('exec-env-note')).toContainText('HOME');
});

test('a pid never seen says "no such process"; a process that exits says "exited"', async ({ page }) => {
  await page.goto(pageUrl(`pid=4000000`));
  await expect(page.getByTestId('detail-no-such-process')).toContainText('No such process');
  const child = spawn('sleep', ['4'], { stdio: 'ignore' });
  try {
    await expect.poll(async () => (await fetchSnapshot()).processes.some((p) => p.pid === child.pid), { timeout: 20_000 }).toBe(true);
    await page.goto(pageUrl(`pid=${child.pid}`));
    await expect(page.getByTestId('detail-host-pid')).toHaveText(String(child.pid));
    await expect(page.getByTestId('detail-exited')).toContainText(`Process ${child.pid} has exited`, { timeout: 20_000 });
    await expect(page.getByTestId('detail-no-such-process')).toHaveCount(0);
  } finally {
    child.kill('SIGKILL');
  }
});

test('an unknown ?container= is said so', async ({ page }) => {
  await page.goto(pageUrl(`container=nosuch`));
  await expect(page.getByTestId('unknown-container')).toHaveText('No container named “nosuch” on this host.');
});

test('the runtime link stands out from kernel links in both themes, and scrollbars follow the theme', async ({ page }) => {
  const { containerd, shim, dockerd } = findChain(await fetchSnapshot(), 'db');
  await page.goto(pageUrl(`container=db`));
  const style = (source: number, target: number) =>
    page.locator(`[data-testid="tree-link"][data-source="${source}"][data-target="${target}"]`).evaluate((el) => {
      const s = getComputedStyle(el);
      return { stroke: s.stroke, width: parseFloat(s.strokeWidth), dash: s.strokeDasharray };
    });
  for (const theme of ['dark', 'light']) {
    if (theme === 'light') await page.getByTestId('theme').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe(theme);
    // Unhighlighted links: clear the container so that neither is drawn in the highlight colour.
    await page.keyboard.press('Escape');
    const runtime = await style(containerd.pid, shim.pid);
    const kernel = await style(dockerd.pid, containerd.pid);
    expect(runtime.dash).not.toBe('none');
    expect(kernel.dash).toBe('none');
    expect(runtime.stroke).not.toBe(kernel.stroke);
    expect(runtime.width).toBeGreaterThanOrEqual(kernel.width * 1.3);
    // The runtime colour differs from the kernel grey in hue, not only in shade: red clearly above blue.
    const [r, , b] = (runtime.stroke.match(/\d+/g) ?? []).map(Number);
    expect((r ?? 0) - (b ?? 0)).toBeGreaterThan(100);
  }
});

test('sidebar values wrap between words, never inside --protected-mode', async ({ page }) => {
  await page.goto(pageUrl(`container=db`));
  const token = page.getByTestId('container-detail').locator('.token', { hasText: /^--protected-mode$/ });
  await expect(token).toHaveCount(1);
  expect(await token.evaluate((el) => el.getClientRects().length)).toBe(1);
});
