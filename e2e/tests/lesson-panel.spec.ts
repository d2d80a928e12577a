import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { fetchSnapshot, findChain, pageUrl, serverUrl } from '../api.ts';
import { docker, repoRoot } from '../lab.ts';
import { expectFramed } from '../stage.ts';

/** The guided lesson panel: each step shows its command, and the dashboard shows the answer. */
const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
const lesson = (page: Page) => page.getByTestId('lesson');
const marked = (page: Page, section: string) => expect(page.getByTestId(`section-${section}`)).toHaveClass(/marked/);

test.afterAll(async () => {
  await docker('rm', '-f', 'cache').catch(() => '');
});

test('the lesson is off by default, and l opens it at step 1', async ({ page }) => {
  await page.goto(serverUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(lesson(page)).toHaveCount(0);
  await page.keyboard.press('l');
  await expect(lesson(page)).toHaveAttribute('data-step', '1');
  await expect(page).toHaveURL(/lesson=1/);
});

test('the eight steps of the seed lesson, each with its command and its answer on the dashboard', async ({ page }) => {
  test.setTimeout(120_000);
  const snapshot = await fetchSnapshot();
  const { dockerd, shim, init } = findChain(snapshot, 'db');
  const db = snapshot.containers.find((c) => c.name === 'db');
  await page.goto(pageUrl(`lesson=1`));
  const command = lesson(page).locator('.shell code');

  await expect(command).toHaveText('$ docker run -d --name=db redis:alpine');
  await expect(page.getByTestId('container-item').filter({ hasText: 'db' })).toHaveAttribute('aria-pressed', 'true');
  await expectFramed(page, [dockerd.pid, shim.pid, ...(db?.pids ?? [])]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'lesson-panel-1.png') });

  await lesson(page).getByTestId('lesson-next').click();
  await expect(page).toHaveURL(/lesson=2/);
  await expect(command).toHaveText('$ ps aux | grep redis-server');
  await expect(page.getByTestId('search')).toHaveValue('redis-server');
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(init.pid));
  await marked(page, 'identity');

  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/lesson=3/);
  await expect(command).toHaveText('$ docker top db');
  await expect(page.getByTestId('container-top')).toContainText(String(init.pid));
  await expect(page.getByTestId('detail-pane')).toHaveCount(0);

  await page.keyboard.press('ArrowRight');
  await expect(command).toHaveText(`$ ps -o pid,ppid,args -p ${shim.pid}`);
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(shim.pid));
  await expect(page.getByTestId('detail-pane')).toContainText('Parent (runtime)');
  await marked(page, 'identity');

  await page.keyboard.press('ArrowRight');
  await expect(command).toHaveText('$ pstree -c -p -A $(pgrep dockerd)');
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(dockerd.pid));
  await marked(page, 'threads');
  await expect(page.getByTestId('section-threads')).toContainText(`pstree -pt ${dockerd.pid}`);
  await expectFramed(page, [dockerd.pid, shim.pid, init.pid]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'lesson-panel-5.png') });

  await page.keyboard.press('ArrowRight');
  await expect(command).toHaveText(`$ ls /proc/${init.pid}`);
  await marked(page, 'proc');
  await page.keyboard.press('ArrowRight');
  await expect(command).toHaveText(`$ cat /proc/${init.pid}/environ`);
  await marked(page, 'environ');
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/lesson=8/);
  await expect(command).toHaveText('$ docker exec -it db env');
  await marked(page, 'configured-env');
  await expect(lesson(page).getByTestId('lesson-next')).toBeDisabled();
  await page.screenshot({ path: path.join(ARTIFACTS, 'lesson-panel-8.png') });

  await lesson(page).getByTestId('lesson-prev').click();
  await expect(page).toHaveURL(/lesson=7/);
  await marked(page, 'environ');
});

test('the lesson works for whatever container the instructor picks, from the URL too', async ({ page }) => {
  await docker('rm', '-f', 'cache').catch(() => '');
  await docker('run', '-d', '--name=cache', '--network=none', 'redis:alpine');
  await expect.poll(async () => (await fetchSnapshot()).containers.find((c) => c.name === 'cache')?.pid ?? null, { timeout: 20_000 }).not.toBeNull();
  const cache = (await fetchSnapshot()).containers.find((c) => c.name === 'cache');
  await page.goto(pageUrl(`container=cache&lesson=2`));
  await expect(page.getByTestId('detail-host-pid')).toHaveText(String(cache?.pid));
  await page.keyboard.press('ArrowRight');
  await expect(lesson(page).locator('.shell code')).toHaveText('$ docker top cache');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(lesson(page).locator('.shell code')).toHaveText('$ docker run -d --name=cache redis:alpine');
  await expect(page.getByTestId('container-item').filter({ hasText: 'cache' })).toHaveAttribute('aria-pressed', 'true');
});
