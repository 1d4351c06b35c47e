import * as http from 'node:http';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';
import { DataSource } from 'typeorm';

import { WORKER_CONFIG } from '../worker.tokens';

/**
 * The worker's only HTTP surface: `/healthz` (process alive) and `/readyz`
 * (database reachable), on WHARF_WORKER_HEALTH_PORT when it is not 0.
 */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthServer.name);
  private server: http.Server | undefined;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WharfConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.worker.healthPort;
    if (port === 0) return;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, this.config.ftp.host, resolve));
    this.logger.log(`health on ${this.config.ftp.host}:${port}`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.url === '/healthz') return this.reply(res, 200, { status: 'ok' });
    if (req.url === '/readyz') {
      try {
        await this.dataSource.query('SELECT 1');
        return this.reply(res, 200, { status: 'ok', database: 'up' });
      } catch {
        return this.reply(res, 503, { status: 'error', database: 'down' });
      }
    }
    return this.reply(res, 404, { statusCode: 404, message: 'Not found' });
  }

  private reply(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
