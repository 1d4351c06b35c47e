/*
 * The admin dashboard in a real browser (Debian chromium via playwright-core)
 * against the real api and PostgreSQL. Each test leaves a screenshot of the
 * page it drove in docs/screenshots/ (1280x800), which the README shows.
 */
import { randomBytes } from 'node:crypto';

import { AdminRole } from '@wharf/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { CHROMIUM, describeWithTool } from '../support/require-tool';
import {
  ensureUiBuilt,
  launchChromium,
  loggedInContext,
  loginThroughForm,
  type RunningApi,
  screenshot,
  startApi,
  VIEWPORT,
} from './admin-ui.harness';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

interface FtpUserBody {
  id: string;
  username: string;
  permissions: { path: string; allow: string[] }[];
}

jest.setTimeout(120_000);

// Without chromium: skipped with the reason printed; with CI=true, a failure.
describeWithTool(CHROMIUM, 'admin UI in chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureUiBuilt();
    api = await startApi();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  /** A page logged in as `role` without the form (the first test covers the form). */
  async function openAs(role: AdminRole): Promise<Page> {
    context = await loggedInContext(browser, api, role);
    page = await context.newPage();
    return page;
  }

  afterEach(async () => {
    await context?.close();
  });

  it('logs in through the login form and shows the dashboard', async () => {
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    await page.goto(`${api.baseUrl}/`);
    await page.locator('input[name="username"]').waitFor();
    await screenshot(page, 'login');

    await page.locator('input[name="username"]').fill(api.admins.superadmin.username);
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await page.getByText(/invalid username or password/i).waitFor();

    await loginThroughForm(page, api.baseUrl, api.admins.superadmin);
    // dashboard.png is left by admin-ui-ftp.spec.ts, with FTP traffic on it.
    await page.getByText('Active sessions').waitFor();
  });

  it('sends an admin whose token the api no longer accepts back to the login page', async () => {
    context = await browser.newContext({ viewport: VIEWPORT });
    const admin = api.admins.admin;
    const stale = JSON.stringify({
      accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.invalid-signature',
      expiresAt: null,
      admin: { id: admin.id, username: admin.username, role: admin.role },
    });
    await context.addInitScript((value: string) => {
      const storage = (
        globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
      ).localStorage;
      storage.setItem('wharf.admin.session', value);
    }, stale);
    page = await context.newPage();
    await page.goto(`${api.baseUrl}/#/ftp-users`);
    await page.waitForURL(/#\/login/);
    await page.locator('input[name="username"]').waitFor();
  });

  it('creates an FTP user with a permission rule, lists it, and shows the audit entry', async () => {
    const username = unique('ui-user');
    await openAs(AdminRole.Admin);
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
    await openAs(AdminRole.Admin);
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

    await openAs(AdminRole.Auditor);
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

  it('imports FTP users from CSV: the server checks every row first, bad ones are shown on their line and nothing is created', async () => {
    const first = unique('bulk-a');
    const second = unique('bulk-b');
    const taken = unique('bulk-taken');
    const existing = await api.request('POST', '/api/v1/ftp-users', {
      token: api.tokens.admin,
      body: { username: taken, password: 'correct-horse-battery' },
    });
    expect(existing.status).toBe(201);
    await openAs(AdminRole.Admin);
    await page.goto(`${api.baseUrl}/#/ftp-users/import`);
    const bad = [
      'username,password,quotaBytes',
      `${first},correct-horse-battery-1,1048576`,
      'not a valid name!,short,lots',
      `${second},correct-horse-battery-2,`,
      `${taken},correct-horse-battery-3,`,
    ].join('\n');
    await page.getByTestId('csv-text').fill(bad);
    await expect(page.getByTestId('csv-preview').locator('tbody tr').count()).resolves.toBe(4);
    // The api's dry run reports every bad row before anything is sent for real,
    // including what only the database knows (a username already taken).
    await page.getByTestId('import-errors').waitFor();
    await expect(page.locator('tr[data-line="3"]').innerText()).resolves.toMatch(/username/);
    await expect(page.locator('tr[data-line="5"]').innerText()).resolves.toMatch(/already exists/);
    await expect(page.locator('tr[data-line="2"]').innerText()).resolves.not.toMatch(/username:/);
    await expect(page.getByRole('button', { name: 'Import 4 users' }).isDisabled()).resolves.toBe(
      true,
    );
    await screenshot(page, 'ftp-users-import');

    const none = await api.request<unknown[]>('GET', `/api/v1/ftp-users?q=${first}`, {
      token: api.tokens.admin,
    });
    expect(none.body).toEqual([]);

    await page
      .getByTestId('csv-text')
      .fill(
        [
          'username,password,quotaBytes',
          `${first},correct-horse-battery-1,1048576`,
          `${second},correct-horse-battery-2,`,
        ].join('\n'),
      );
    await page.getByTestId('import-check-ok').waitFor();
    await page.getByRole('button', { name: 'Import 2 users' }).click();
    await page.waitForURL(/#\/ftp-users$/);
    for (const username of [first, second]) {
      const found = await api.request<FtpUserBody[]>('GET', `/api/v1/ftp-users?q=${username}`, {
        token: api.tokens.admin,
      });
      expect(found.body.map((u) => u.username)).toEqual([username]);
    }
  });

  it('shows a new API key once, and revoking it stops it working', async () => {
    const name = unique('ui-key');
    await openAs(AdminRole.Admin);
    await page.goto(`${api.baseUrl}/#/api-keys/create`);
    await page.locator('input[name="name"]').fill(name);
    await page.getByRole('button', { name: 'Save' }).click();
    const secretBox = page.getByTestId('api-key-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.innerText()).trim();
    expect(secret).toMatch(/^wharf_/);
    await screenshot(page, 'api-key-created');

    const me = await api.request<{ role: string }>('GET', '/api/v1/auth/me', { token: secret });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('auditor');

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.waitForURL(/#\/api-keys$/);
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await row.getByText('revoked').waitFor();
    await screenshot(page, 'api-keys');

    const refused = await api.request('GET', '/api/v1/auth/me', { token: secret });
    expect(refused.status).toBe(401);
  });

  it('shows the api certificate validation message under the uploaded PEM', async () => {
    await openAs(AdminRole.Admin);
    await page.goto(`${api.baseUrl}/#/servers/create`);
    await page.locator('input[name="name"]').fill(unique('ui-server'));
    await page
      .locator('input[name="port"]')
      .fill(String(40_000 + Math.floor(Math.random() * 9000)));
    await page.getByRole('tab', { name: 'TLS' }).click();
    await page.getByLabel('Generate a self-signed certificate').uncheck();
    const notACertificate =
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    await page.getByTestId('pem-file-certPem').setInputFiles({
      name: 'server.crt',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(notACertificate),
    });
    await page.getByTestId('pem-file-keyPem').setInputFiles({
      name: 'server.key',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from('-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n'),
    });
    await expect(page.locator('textarea[name="certPem"]').inputValue()).resolves.toBe(
      notACertificate,
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('certPem is not a valid PEM X.509 certificate').waitFor();
    await screenshot(page, 'server-certificate-error');
  });

  it('creates a group with a member and a quota, and the member inherits it with its source', async () => {
    const username = unique('ui-member');
    const groupName = unique('ui-group');
    const member = await api.request<{ id: string }>('POST', '/api/v1/ftp-users', {
      token: api.tokens.admin,
      body: { username, password: 'correct-horse-battery' },
    });
    expect(member.status).toBe(201);

    await openAs(AdminRole.Admin);
    await page.goto(`${api.baseUrl}/#/groups/create`);
    await page.locator('input[name="name"]').fill(groupName);
    const members = page.getByRole('combobox', { name: 'Members' });
    await members.fill(username);
    await page.getByRole('option', { name: username }).click();
    await page.getByRole('tab', { name: 'Default limits' }).click();
    // An empty byte field starts in MiB; the unit is shown beside the number.
    await page.getByTestId('bytes-quotaBytes').fill('5');
    await page.getByText('5,242,880 bytes = 5.0 MiB').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/groups$/);
    await page.getByRole('cell', { name: groupName }).waitFor();

    await page.goto(`${api.baseUrl}/#/ftp-users/${member.body.id}/show/effective`);
    const row = page
      .getByTestId('effective-settings')
      .getByRole('row')
      .filter({ hasText: 'Storage quota' });
    await expect(row.innerText()).resolves.toContain('5.0 MiB');
    await expect(row.innerText()).resolves.toContain(`group ${groupName}`);
  });

  it('renders every main page for a superadmin (screenshots for the README)', async () => {
    const user = await api.request<{ id: string }>('POST', '/api/v1/ftp-users', {
      token: api.tokens.admin,
      body: {
        username: unique('ui-shot'),
        password: 'correct-horse-battery',
        quotaBytes: 10 * 1024 ** 3,
        allowedIps: ['10.0.0.0/8'],
      },
    });
    expect(user.status).toBe(201);
    await openAs(AdminRole.Superadmin);
    // Each list page must reach its rows or its empty state: a failing or
    // missing endpoint would leave neither (react-admin shows an error instead).
    // sessions.png and transfers.png come from admin-ui-ftp.spec.ts, with traffic.
    const listLoaded = page.locator('[data-testid="empty-state"], table.RaDatagrid-table').first();
    const pages: [string, string, () => Promise<void>][] = [
      ['groups', '#/groups', () => listLoaded.waitFor()],
      ['servers', '#/servers', () => listLoaded.waitFor()],
      ['workers', '#/workers', () => listLoaded.waitFor()],
      [
        'admins',
        '#/admins',
        () => page.getByRole('cell', { name: api.admins.auditor.username }).waitFor(),
      ],
      [
        'ftp-user-effective',
        `#/ftp-users/${user.body.id}/show/effective`,
        () => page.getByTestId('effective-settings').waitFor(),
      ],
      [
        'ftp-user-limits',
        `#/ftp-users/${user.body.id}/limits`,
        () => page.getByTestId('bytes-quotaBytes').waitFor(),
      ],
    ];
    for (const [name, hash, loaded] of pages) {
      await page.goto(`${api.baseUrl}/${hash}`);
      await loaded();
      await screenshot(page, name);
    }

    // The dark theme, switched from the app bar.
    await page.goto(`${api.baseUrl}/#/ftp-users`);
    const background = () =>
      page.locator('body').evaluate((body) => {
        const view = globalThis as unknown as {
          getComputedStyle(e: unknown): { backgroundColor: string };
        };
        return view.getComputedStyle(body).backgroundColor;
      });
    const light = await background();
    await page.getByRole('button', { name: 'Toggle light/dark mode' }).click();
    await expect(background()).resolves.not.toBe(light);
    await screenshot(page, 'ftp-users-dark');
  });
});
