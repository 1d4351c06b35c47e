/*
 * The admin UI pages that show what FTP clients do, driven in chromium against
 * the in-process api and one in-process FTP worker (real PostgreSQL, and Redis
 * when WHARF_TEST_REDIS_URL is set). A basic-ftp client makes the traffic; the
 * browser finds it in the transfer log and the live sessions, and kicks a
 * session. Leaves dashboard.png, transfers.png and sessions.png in
 * docs/screenshots/ with that traffic visible.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';

import { AdminRole } from '@wharf/contracts';
import { findFreePort } from '@wharf/database';
import { Client } from 'basic-ftp';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import {
  eventually,
  type InProcessWorker,
  startInProcessWorker,
  waitForFtpListener,
} from '../support/in-process-worker';
import { CHROMIUM, describeWithTool } from '../support/require-tool';
import {
  ensureUiBuilt,
  launchChromium,
  loggedInContext,
  type RunningApi,
  screenshot,
  startApi,
} from './admin-ui.harness';

jest.setTimeout(120_000);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const PASSWORD = 'correct-horse-battery';

// Without chromium: skipped with the reason printed; with CI=true, a failure.
describeWithTool(CHROMIUM, 'admin UI in chromium with a real FTP worker', () => {
  const suffix = randomBytes(3).toString('hex');
  const workerId = `ui-ftp-${suffix}`;
  let api: RunningApi;
  let worker: InProcessWorker | undefined;
  let storageRoot: string | undefined;
  let ftpPort: number;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  const clients: Client[] = [];

  async function createUser(username: string): Promise<{ id: string; username: string }> {
    const res = await api.request<{ id: string; username: string }>('POST', '/api/v1/ftp-users', {
      token: api.tokens.admin,
      body: { username, password: PASSWORD },
    });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async function connect(username: string): Promise<Client> {
    const client = new Client(10_000);
    clients.push(client);
    await client.access({ host: '127.0.0.1', port: ftpPort, user: username, password: PASSWORD });
    return client;
  }

  async function openAs(role: AdminRole): Promise<Page> {
    context = await loggedInContext(browser, api, role);
    page = await context.newPage();
    return page;
  }

  const dataRows = () => page.locator('table.RaDatagrid-table tbody tr');

  beforeAll(async () => {
    ensureUiBuilt();
    api = await startApi();
    storageRoot = await mkdtemp(path.join(os.tmpdir(), 'wharf-ui-ftp-storage-'));
    ftpPort = await findFreePort();
    const passiveBase = 40_000 + Math.floor(Math.random() * 150) * 150;
    // Pinned to this file's worker, so no other suite's worker binds it.
    const server = await api.request('POST', '/api/v1/servers', {
      token: api.tokens.admin,
      body: {
        name: `ui-ftp-${suffix}`,
        bindAddress: '127.0.0.1',
        port: ftpPort,
        passivePortMin: passiveBase,
        passivePortMax: passiveBase + 49,
        workerIds: [workerId],
      },
    });
    if (server.status !== 201) {
      throw new Error(`server: ${server.status} ${JSON.stringify(server.body)}`);
    }
    worker = await startInProcessWorker({
      id: workerId,
      databaseUrl: api.config.databaseUrl!,
      queuePrefix: api.config.queue.prefix,
      storageRoot,
    });
    await waitForFtpListener(ftpPort);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await worker?.close();
    await api?.stop();
    if (storageRoot) await rm(storageRoot, { recursive: true, force: true });
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('finds an FTP upload in the transfer log, filters it, shows its detail and exports it as CSV', async () => {
    const user = await createUser(`ui-up-${suffix}`);
    const content = randomBytes(50_000);
    const digest = sha256(content);
    const client = await connect(user.username);
    await client.uploadFrom(Readable.from([content]), 'report.bin');
    await client.ensureDir('/archive');
    client.close();

    await openAs(AdminRole.Admin);
    // Events reach PostgreSQL through the worker's spool and the queue: poll the page.
    await page.goto(`${api.baseUrl}/#/transfers`);
    const uploadRow = page
      .getByRole('row')
      .filter({ hasText: user.username })
      .filter({ hasText: 'upload' });
    await eventually(
      async () => {
        if ((await uploadRow.count()) > 0) return true;
        await page.reload();
        await dataRows()
          .first()
          .or(page.getByTestId('empty-state'))
          .waitFor()
          .catch(() => undefined);
        return undefined;
      },
      20_000,
      'the upload in the transfer log',
    );
    await expect(uploadRow.innerText()).resolves.toContain('/report.bin');
    await screenshot(page, 'transfers');

    // Filter by username, then by operation: only the upload remains.
    await page.locator('input[name="username"]').fill(user.username);
    await page.waitForURL((url) => decodeURIComponent(url.hash).includes(user.username));
    await eventually(
      async () => ((await dataRows().count()) > 1 ? true : undefined),
      10_000,
      'the login, upload and mkdir rows of the user',
    );
    const userRows = await dataRows().allInnerTexts();
    expect(userRows.every((text) => text.includes(user.username))).toBe(true);
    await page.getByRole('combobox', { name: 'Operation' }).click();
    await page.getByRole('option', { name: 'upload', exact: true }).click();
    await page.waitForURL((url) => decodeURIComponent(url.hash).includes('"operation":"upload"'));
    await eventually(
      async () => ((await dataRows().count()) === 1 ? true : undefined),
      10_000,
      'the filtered list to hold the upload only',
    );
    await expect(dataRows().first().innerText()).resolves.toContain('/report.bin');

    // The CSV export carries the same filter.
    const downloadEvent = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const download = await downloadEvent;
    // Streamed by the browser from a short-lived link, not fetched into a blob by the page.
    expect(download.url()).toMatch(/\/api\/v1\/transfers\/export\.csv\?.*token=/);
    const csv = await readFile(await download.path(), 'utf8');
    const csvRows = csv.split(/\r?\n/).filter((line) => line.includes(user.username));
    expect(csvRows).toHaveLength(1);
    expect(csvRows[0]).toContain('/report.bin');
    expect(csvRows[0]).toContain(digest);
    expect(csvRows[0]).toContain(String(content.length));

    // The detail page: bytes and sha256.
    await dataRows().first().click();
    await page.waitForURL(/#\/transfers\/[^/]+\/show/);
    await page.getByText(digest).waitFor();
    await page.getByText('48.8 KiB').waitFor();
    await page.getByText('/report.bin').first().waitFor();
  });

  it('shows a live FTP session, kicks it after confirmation, and the kick is in the audit log', async () => {
    const user = await createUser(`ui-live-${suffix}`);
    const client = await connect(user.username);
    await client.uploadFrom(Readable.from([randomBytes(20_000)]), 'live.bin');

    await openAs(AdminRole.Admin);
    await page.goto(`${api.baseUrl}/#/sessions`);
    const row = page.getByRole('row').filter({ hasText: user.username });
    // The list refetches every 2.5 s; the worker reports its sessions on its own schedule.
    await row.first().waitFor({ timeout: 20_000 });
    expect(await row.count()).toBe(1);
    await expect(row.innerText()).resolves.toContain('127.0.0.1');
    await screenshot(page, 'sessions');

    const listed = await api.request<{ id: string }[]>(
      'GET',
      `/api/v1/sessions?username=${user.username}`,
      { token: api.tokens.admin },
    );
    expect(listed.body).toHaveLength(1);
    const sessionId = listed.body[0]!.id;

    // The dashboard counts the live session and shows the day's traffic.
    await page.goto(`${api.baseUrl}/#/`);
    // The card shows a skeleton until the stats arrive: read it only once it holds a number.
    const activeSessions = page.getByTestId('stat-active-sessions').filter({ hasText: /^\d+$/ });
    await eventually(
      async () => {
        await activeSessions.waitFor();
        if ((await activeSessions.innerText()).trim() !== '0') return true;
        await page.reload();
        return undefined;
      },
      20_000,
      'the dashboard to count the session',
    );
    await screenshot(page, 'dashboard');

    await page.goto(`${api.baseUrl}/#/sessions`);
    await row.first().waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: 'Kick' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Close this FTP session?').waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    // The notification's wording is react-admin's (its translation fallback), so
    // the test checks the effect: the client is gone and so is the row.

    await eventually(
      () => Promise.resolve(client.closed ? true : undefined),
      5_000,
      'the FTP client to be disconnected',
    );
    await expect(client.send('NOOP')).rejects.toThrow();
    await eventually(
      async () => ((await row.count()) === 0 ? true : undefined),
      10_000,
      'the kicked session to leave the live sessions list',
    );

    await page.goto(
      `${api.baseUrl}/#/audit?filter=${encodeURIComponent(JSON.stringify({ targetType: 'ftp-session' }))}`,
    );
    const kick = page.getByRole('row').filter({ hasText: 'kick' }).filter({ hasText: sessionId });
    await kick.first().waitFor();
    expect(await kick.count()).toBe(1);
    await expect(kick.innerText()).resolves.toContain(api.admins.admin.username);
  });
});
