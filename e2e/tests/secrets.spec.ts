import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { containerDetailSchema, processDetailSchema } from '@proclens/shared';
import type { EnvVarView, ProcessDetail } from '@proclens/shared';
import { SECRET_SAMPLES } from '@proclens/shared/testing';
import { apiFetch, fetchSnapshot, pageUrl } from '../api.ts';
import { docker, repoRoot } from '../lab.ts';

/**
 * Secrets in a container's configuration (`docker run -e`) and in a process started with
 * `docker exec -e`, asked for through the API a script uses: one secret of each class masking
 * knows, none of which may appear in any response.
 */

const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const NAME = 'secrets';
/** Argument of the exec'd sleep, to find it among db's processes. */
const EXEC_SECONDS = '1017';
/** Host pid of the exec'd sleep, once found. */
let execPid = 0;
const env = (flag: string) => SECRET_SAMPLES.flatMap((s) => [flag, `${s.name}=${s.value}`]);

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  await docker('rm', '-f', NAME).catch(() => '');
  await docker('run', '-d', `--name=${NAME}`, '--network=none', ...env('-e'), '-e', 'GREETING=hello', 'lab/busybox', 'sleep', '1000');
  await docker('exec', '-d', ...env('-e'), 'db', 'sleep', EXEC_SECONDS);
});

test.afterAll(async () => {
  await docker('rm', '-f', NAME).catch(() => '');
  // The exec'd sleep lives in db, which other specs use: end it by the host pid the test found.
  if (execPid) process.kill(execPid, 'SIGKILL');
});

/** The raw body (to search for secrets) and its parsed form. */
async function getText(path: string): Promise<string> {
  const res = await apiFetch(path);
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(200);
  return text;
}

function expectMasked(vars: readonly EnvVarView[], text: string, where: string): void {
  for (const sample of SECRET_SAMPLES) {
    expect(vars, `${where}: ${sample.what}`).toContainEqual({ name: sample.name, value: sample.shown, masked: true });
    for (const secret of sample.secrets) expect(text, `${where}: ${sample.what} leaked ${secret}`).not.toContain(secret);
  }
}

test('GET /api/containers/:ref masks every secret of the configured environment (docker run -e)', async () => {
  const text = await getText(`/api/containers/${NAME}`);
  const detail = containerDetailSchema.parse(JSON.parse(text));
  expect(detail.env).toContainEqual({ name: 'GREETING', value: 'hello', masked: false });
  expectMasked(detail.env, text, 'configured environment');
});

test('GET /api/processes/:pid masks the container process’s /proc environ and its configured environment', async () => {
  let pid = 0;
  await expect.poll(async () => (pid = (await fetchSnapshot()).containers.find((c) => c.name === NAME)?.pid ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
  const text = await getText(`/api/processes/${pid}`);
  const detail = processDetailSchema.parse(JSON.parse(text));
  expect(detail.environ.state).toBe('ok');
  expect(detail.environ.vars).toContainEqual({ name: 'GREETING', value: 'hello', masked: false });
  expectMasked(detail.environ.vars, text, '/proc environ');
  expectMasked(detail.containerEnv ?? [], text, 'configured environment');
});

test('GET /api/processes/:pid masks the environment a docker exec -e gave a process', async () => {
  const dbId = (await docker('inspect', '-f', '{{.Id}}', 'db')).trim();
  let execd: ProcessDetail | undefined;
  let text = '';
  await expect
    .poll(
      async () => {
        const found = (await fetchSnapshot()).processes.find((p) => p.containerId === dbId && p.argv.join(' ') === `sleep ${EXEC_SECONDS}`);
        if (!found) return false;
        execPid = found.pid;
        text = await getText(`/api/processes/${found.pid}`);
        execd = processDetailSchema.parse(JSON.parse(text));
        return true;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  if (!execd) throw new Error('the exec’d sleep was not found');
  expect(execd.container?.name).toBe('db');
  expect(execd.environ.state).toBe('ok');
  expectMasked(execd.environ.vars, text, 'exec environ');
  // db's configuration has none of them: they exist only in this process's /proc environ.
  expect(execd.containerEnv?.some((v) => v.name === 'DATABASE_URL')).toBe(false);
});

test('the detail pane shows each masked part as a mask, and nothing of the secrets', async ({ page }) => {
  const pid = (await fetchSnapshot()).containers.find((c) => c.name === NAME)?.pid ?? 0;
  expect(pid).toBeGreaterThan(0);
  await page.goto(pageUrl(`pid=${pid}`));
  const pane = page.getByTestId('detail-pane');
  const row = (name: string) =>
    pane
      .locator('table.env')
      .first()
      .locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) });
  await expect(row('DATABASE_URL').locator('td')).toHaveText('postgres://app:••••••@db:5432/app');
  await expect(row('MYSQL_PWD').locator('td')).toHaveText('•••••• masked');
  // The mask is drawn apart from the value (its own colour), legible and on screen.
  const mask = row('DATABASE_URL').locator('.masked');
  await mask.scrollIntoViewIfNeeded();
  const box = await mask.boundingBox();
  expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 720).toBe(true);
  expect(Number.parseFloat(await mask.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(11);
  await page.screenshot({ path: path.join(ARTIFACTS, 'secrets-detail.png') });
  const text = await page.locator('body').innerText();
  for (const sample of SECRET_SAMPLES) for (const secret of sample.secrets) expect(text, sample.what).not.toContain(secret);
});
