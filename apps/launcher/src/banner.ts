import type { WharfConfig } from '@wharf/config';

export interface BannerFacts {
  embedded: boolean;
  admin: { created: boolean; username: string; password?: string };
  demo: { created: boolean; name: string; port: number; tlsMode: string } | null;
  /** `npm run dev`: the Vite dev server with hot reload. */
  devUi?: string | undefined;
  /** `--db setup`: only the credentials matter. */
  setupOnly?: boolean;
}

/** What a newcomer needs after `npm start`: where everything is and how to log in. */
export function printBanner(config: WharfConfig, facts: BannerFacts): void {
  const host = config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host;
  const base = config.api.publicUrl ?? `http://${host}:${config.api.port}`;
  const ftpHost = config.ftp.publicHost ?? config.ftp.host;
  if (facts.setupOnly) {
    console.log(
      `wharf: first admin ${facts.admin.username}${facts.admin.password ? ` / ${facts.admin.password} (shown once)` : ''}`,
    );
    return;
  }
  const lines = [
    '',
    '  Wharf is running',
    '',
    `  Admin UI      ${base}/${facts.devUi ? `   (hot reload: ${facts.devUi})` : ''}`,
    `  REST API      ${base}/api/v1`,
    `  OpenAPI       ${base}/api/docs`,
    `  Health        ${base}/readyz   Metrics ${base}/metrics`,
    facts.demo
      ? `  Demo FTP      ftp://${ftpHost}:${facts.demo.port}  (server "${facts.demo.name}", TLS: ${facts.demo.tlsMode}; passive ${config.ftp.passivePorts.min}-${config.ftp.passivePorts.max})`
      : `  Demo FTP      ftp://${ftpHost}:${config.ftp.port}`,
    `  Data          ${config.dataDir}${facts.embedded ? ' (embedded PostgreSQL)' : ''}`,
    `  Queues        ${config.queue.backend === 'redis' ? 'Redis' : 'BullMQ PostgreSQL backend'}`,
    '',
  ];
  if (facts.admin.created && facts.admin.password) {
    lines.push(
      `  First admin   ${facts.admin.username} / ${facts.admin.password}`,
      '                (shown once: store it now, or set WHARF_ADMIN_PASSWORD before the first start)',
      '',
    );
  } else if (facts.admin.created) {
    lines.push(`  First admin   ${facts.admin.username} (password from WHARF_ADMIN_PASSWORD)`, '');
  }
  lines.push('  Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}
