/*
 * Boots what the admin UI browser suite drives: the real api in this process
 * (api-core's test helper, against the per-run test database, one logged-in
 * admin per role) serving the built UI from dist/admin, and Debian's chromium
 * through playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';

import type { AdminRole } from '@wharf/contracts';
import { type Browser, chromium, type Page } from 'playwright-core';

// The suite boots the api in-process by design (one process, real code, no
// stale build): the e2e project otherwise imports libraries only.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  type ApiTestApp,
  createApiTestApp,
  type TestAdmin,
} from '../../apps/api/src/testing/api-test-app';
import { CHROMIUM } from '../support/require-tool';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const CHROMIUM_PATH = CHROMIUM.command;
export const SCREENSHOT_DIR = path.join(repoRoot, 'docs', 'screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

const UI_DIR = path.join(repoRoot, 'dist', 'admin');

/**
 * `npm test` builds the UI before Jest starts; a direct `jest test/admin-ui`
 * run builds it here when it is missing.
 */
export function ensureUiBuilt(): void {
  if (existsSync(path.join(UI_DIR, 'index.html'))) return;
  const result = spawnSync(
    process.execPath,
    [
      require.resolve('vite/bin/vite.js', { paths: [repoRoot] }),
      'build',
      '--config',
      'apps/admin/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `admin UI build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

export type SeededAdmin = TestAdmin;

export interface RunningApi {
  baseUrl: string;
  admins: Record<AdminRole, SeededAdmin>;
  tokens: Record<AdminRole, string>;
  request: ApiTestApp['request'];
  /** The api's configuration (its queue prefix is what an in-process worker must share). */
  config: ApiTestApp['config'];
  stop(): Promise<void>;
}

/**
 * The real api, in this process, serving dist/admin at `/` next to /api/v1.
 * Each browser suite gets a database of its own: lists and the dashboard then
 * show only what the suite made (other suites add users and thousands of
 * transfer rows concurrently), and the screenshots are stable.
 */
export async function startApi(): Promise<RunningApi> {
  const testApp = await createApiTestApp({
    env: { WHARF_ADMIN_UI_DIR: UI_DIR },
    isolatedDatabase: true,
  });
  return {
    baseUrl: testApp.baseUrl,
    admins: testApp.admins,
    tokens: testApp.tokens,
    request: testApp.request,
    config: testApp.config,
    stop: () => testApp.close(),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // This machine's network is closed: background connections only produce errors.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Logs in through the login form and waits for the dashboard. */
export async function loginThroughForm(page: Page, baseUrl: string, admin: SeededAdmin) {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name="username"]').fill(admin.username);
  await page.locator('input[name="password"]').fill(admin.password);
  await page.locator('button[type="submit"]').click();
  await page.getByText('Overview').waitFor();
}

/**
 * Starts a context already logged in as `role` (the api's token placed where
 * the UI keeps it), so tests other than the login test skip the form.
 */
export async function loggedInContext(browser: Browser, api: RunningApi, role: AdminRole) {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const admin = api.admins[role];
  const session = {
    accessToken: api.tokens[role],
    expiresAt: null,
    admin: { id: admin.id, username: admin.username, role: admin.role },
  };
  await context.addInitScript((value: string) => {
    const storage = (
      globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
    ).localStorage;
    storage.setItem('wharf.admin.session', value);
  }, JSON.stringify(session));
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Let lazy chunks, queries and MUI transitions settle so the picture shows the page, not a spinner.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}
