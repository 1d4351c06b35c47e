/*
 * Keeps the FTP benchmark harness (bench/) from rotting: its smoke variant
 * runs every scenario against Wharf only (the worker and the bare engine),
 * with tiny sizes, and must produce results, tables and PNG charts. It never
 * asserts a timing: benchmarks are measured by `npm run bench`, not by tests.
 * Uses the work tree's build (dist/node, built by `npm test` first) and ports
 * shifted away from a real bench run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { CURL, describeWithTool, LFTP } from '../support/require-tool';

jest.setTimeout(300_000);

interface Metric {
  id: string;
  series: Record<string, Array<number | null>>;
}
interface BenchResults {
  scenarios: Record<string, { metrics: Metric[]; errors: string[] }>;
  files: { json: string; markdown: string; charts: string[] };
}

const root = path.resolve(__dirname, '..', '..');

// The harness drives curl and lftp: without them skipped with the reason
// printed; with CI=true, a failure.
describeWithTool(CURL, 'FTP bench harness (smoke)', () =>
  describeWithTool(LFTP, 'with lftp', () => {
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-bench-smoke-'));
      process.env.WHARF_BENCH_DIR = dir;
      process.env.WHARF_BENCH_CODE = 'dist';
      // Below the bench's own ports (19021-32699) and below Linux's ephemeral
      // range (32768+), where the other suites' outbound sockets and
      // findFreePort() listeners live.
      process.env.WHARF_BENCH_PORT_OFFSET = String(-14_000 - Math.floor(Math.random() * 30) * 100);
      process.env.DATABASE_URL ??= process.env.WHARF_TEST_DATABASE_URL;
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('runs every FTP scenario on Wharf and writes results, tables and charts', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS harness
      const bench = require(path.join(root, 'bench', 'run.js')) as {
        main(argv: string[], options: { quiet: boolean }): Promise<BenchResults>;
      };
      const results = await bench.main(
        [
          '--smoke',
          '--scenario',
          'transfer,small-files,file-steps,logins,idle,listing',
          '--charts',
          dir,
        ],
        { quiet: true },
      );
      for (const id of ['transfer', 'small-files', 'file-steps', 'logins', 'idle', 'listing']) {
        const scenario = results.scenarios[id]!;
        expect(scenario.errors).toEqual([]);
        for (const metric of scenario.metrics) {
          // Every Wharf series has a finite value in every round (no silent failure).
          const wharf = metric.series['wharf'] ?? [];
          expect(wharf.length).toBeGreaterThan(0);
          for (const value of wharf) expect(Number.isFinite(value)).toBe(true);
        }
      }
      expect(results.scenarios.logins!.metrics[0]!.series['wharf-fresh']).toBeDefined();
      // Small files also report the CPU per file of the client and of the server.
      const smallFiles = results.scenarios['small-files']!.metrics.map((m) => m.id);
      for (const phase of ['download-1', 'download-8', 'upload-1', 'upload-8']) {
        expect(smallFiles).toEqual(
          expect.arrayContaining([phase, `${phase}-client-cpu`, `${phase}-server-cpu`]),
        );
      }
      const markdown = await readFile(results.files.markdown, 'utf8');
      expect(markdown).toContain('| wharf |');
      expect(results.files.charts).toHaveLength(6);
      for (const chart of results.files.charts) {
        const png = await readFile(chart);
        expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      }
    });
  }),
);
