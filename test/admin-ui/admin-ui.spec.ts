/*
 * The admin dashboard in a real browser (Debian chromium via playwright-core)
 * against the real api and PostgreSQL. Each test leaves a screenshot of the
 * page it drove in docs/screenshots/ (1280x800), which the README shows.
 */
import { randomBytes } from 'node:crypto';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import {
  chromiumAvailability,
  ensureUiBuilt,
  launchChromium,
  loginThroughForm,
  type RunningApi,
  screenshot,
  startApi,
  VIEWPORT,
} from './admin-ui.harness';

const availability = chromiumAvailability();
if (!availability.run && !availability.mustFail) {
  console.warn(`admin UI browser tests skipped: ${availability.reason}`);
}
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

interface FtpUserBody {
  id: string;
  username: string;
  permissions: { path: string; allow: string[] }[];
}

const describeBrowser = availability.run || availability.mustFail ? describe : describe.skip;

jest.setTimeout(120_000);

describeBrowser('admin UI in chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!availability.run) throw new Error(`CI=true and ${availability.reason}`);
    ensureUiBuilt();
    api = await startApi();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  it('logs in through the login form and shows the dashboard', async () => {
    await page.goto(`${api.baseUrl}/`);
    await page.locator('input[name="username"]').waitFor();
    await screenshot(page, 'login');

    await page.locator('input[name="username"]').fill(api.admins.superadmin.username);
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await page.getByText(/invalid username or password/i).waitFor();

    await loginThroughForm(page, api.baseUrl, api.admins.superadmin);
    await page.getByText('Active sessions').waitFor();
    await screenshot(page, 'dashboard');
  });

  it('creates an FTP user with a permission rule, lists it, and shows the audit entry', async () => {
    const username = unique('ui-user');
    await loginThroughForm(page, api.baseUrl, api.admins.admin);
    await page.goto(`${api.baseUrl}/#/ftp-users/create`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill('correct-horse-battery');

    await page.getByRole('tab', { name: 'Permissions' }).click();
    await page.getByRole('button', { name: 'Add' }).click();
    await page.locator('input[name="permissions.1.path"]').fill('/incoming');
    // The new rule starts with list + download; allow upload too.
    const uploadBoxes = page.getByRole('checkbox', { name: 'upload', exact: true });
    await expect(uploadBoxes.count()).resolves.toBe(2);
    await uploadBoxes.nth(1).check();
    await screenshot(page, 'ftp-user-create');
    await page.getByRole('button', { name: 'Save' }).click();

    await page.waitForURL(/#\/ftp-users$/);
    await page.getByRole('cell', { name: username }).waitFor();
    await screenshot(page, 'ftp-users');

    const listed = await api.request<FtpUserBody[]>('GET', `/api/v1/ftp-users?q=${username}`, {
      token: api.tokens.admin,
    });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    const user = listed.body[0]!;
    expect(user.permissions).toContainEqual({
      path: '/incoming',
      allow: ['list', 'download', 'upload'],
    });

    await page.goto(
      `${api.baseUrl}/#/audit?filter=${encodeURIComponent(JSON.stringify({ targetId: user.id }))}`,
    );
    const row = page.getByRole('row').filter({ hasText: 'create' });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await row.first().click();
    const diff = page.getByTestId('audit-diff');
    await diff.waitFor();
    await expect(
      diff.getByRole('row').filter({ hasText: 'username' }).innerText(),
    ).resolves.toContain(username);
    await screenshot(page, 'audit');
  });

  it('shows an api field error on the form field (duplicate username)', async () => {
    const username = unique('ui-dup');
    const created = await api.request('POST', '/api/v1/ftp-users', {
      token: api.tokens.admin,
      body: { username, password: 'correct-horse-battery' },
    });
    expect(created.status).toBe(201);
    await loginThroughForm(page, api.baseUrl, api.admins.admin);
    await page.goto(`${api.baseUrl}/#/ftp-users/create`);
    await page.locator('input[name="username"]').fill(username.toUpperCase());
    await page.locator('input[name="password"]').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('username already exists').waitFor();
    await expect(page.locator('input[name="username"]').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
  });

  it('shows an auditor no write buttons, and the api refuses a forced write with 403', async () => {
    const username = unique('ui-audited');
    const created = await api.request('POST', '/api/v1/ftp-users', {
      token: api.tokens.admin,
      body: { username, password: 'correct-horse-battery' },
    });
    expect(created.status).toBe(201);

    await loginThroughForm(page, api.baseUrl, api.admins.auditor);
    await page.goto(
      `${api.baseUrl}/#/ftp-users?filter=${encodeURIComponent(JSON.stringify({ q: username }))}`,
    );
    await page.getByRole('cell', { name: username }).waitFor();
    await expect(page.getByRole('link', { name: 'Edit' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Create' }).count()).resolves.toBe(0);
    await expect(page.getByRole('checkbox').count()).resolves.toBe(0);
    await expect(page.getByRole('menuitem', { name: 'Admins' }).count()).resolves.toBe(0);
    await screenshot(page, 'ftp-users-auditor');

    // The row opens the read-only show page, which has no Edit button either.
    await page.getByRole('cell', { name: username }).click();
    await page.getByText('Effective settings').waitFor();
    await expect(page.getByRole('link', { name: 'Edit' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Reset password' }).count()).resolves.toBe(0);

    const status = await page.evaluate(async () => {
      // Runs in the page: the test's own tsconfig has no DOM types.
      const storage = (
        globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
      ).localStorage;
      const session = JSON.parse(storage.getItem('wharf.admin.session') ?? '{}') as {
        accessToken?: string;
      };
      const response = await fetch('/api/v1/ftp-users', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${session.accessToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ username: 'forced-by-auditor', password: 'correct-horse-battery' }),
      });
      return response.status;
    });
    expect(status).toBe(403);
  });
});
