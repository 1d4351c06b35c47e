import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@wharf/config';

import { SESSION_QUOTA, type SessionQuotaProvider } from '../worker.tokens';
import { effectiveBandwidth } from './bandwidth';
import { QuotaModule } from './quota.module';
import { QuotaService } from './quota.service';
import { periodStart } from './quota-period';

describe('periodStart (UTC)', () => {
  it('starts days at UTC midnight and months on the 1st, whatever the offset of the input', () => {
    const t = new Date('2026-03-01T00:30:00+02:00'); // 2026-02-28T22:30Z
    expect(periodStart(t, 'day').toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(periodStart(t, 'month').toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(periodStart(new Date('2026-12-31T23:59:59.999Z'), 'month').toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });
});

describe('effectiveBandwidth', () => {
  it('takes the user value, capped by the server as the minimum; null and 0 mean no cap', () => {
    expect(effectiveBandwidth({ uploadBandwidth: 100, downloadBandwidth: null })).toEqual({
      upload: 100,
    });
    expect(
      effectiveBandwidth(
        { uploadBandwidth: 100, downloadBandwidth: 500 },
        { upload: 50, download: null },
      ),
    ).toEqual({ upload: 50, download: 500 });
    expect(
      effectiveBandwidth(
        { uploadBandwidth: 0, downloadBandwidth: null },
        { upload: null, download: 70 },
      ),
    ).toEqual({ download: 70 });
  });
});

describe('QuotaModule', () => {
  it('provides SESSION_QUOTA as the QuotaService for the worker login service', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'wharf-quota-module-'));
    const config = loadConfig({
      DATABASE_URL: process.env.WHARF_TEST_DATABASE_URL,
      REDIS_URL: process.env.WHARF_TEST_REDIS_URL,
      WHARF_QUEUE_PREFIX: `qmod-${process.pid}`,
      WHARF_STORAGE_ROOT: root,
    });
    const app = await NestFactory.createApplicationContext(
      QuotaModule.forRoot(config, { schedule: { everyMs: 0, process: false } }),
      { logger: false },
    );
    try {
      await app.init();
      const provider = app.get<SessionQuotaProvider>(SESSION_QUOTA);
      expect(provider).toBe(app.get(QuotaService));
    } finally {
      await app.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
