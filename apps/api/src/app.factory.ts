import { existsSync } from 'node:fs';
import * as path from 'node:path';

import { type INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { WharfConfig } from '@wharf/config';
import { ensureTransferLogPartitions, queueOptions } from '@wharf/database';
import express from 'express';
import { DataSource } from 'typeorm';

import { AppModule } from './app.module';
import { resolveJwtSecret } from './auth/jwt-secret';
import { DEFAULT_LOGIN_RATE_LIMITS, type LoginRateLimits } from './auth/login-rate-limiter';
import { validationExceptionFactory } from './common/errors';
import { BULK_ROUTE, MAX_BULK_JSON_BYTES } from './ftp-users/bulk-body';
import { PARTITION_MONTHS_AHEAD } from './maintenance/partition-maintenance.service';

export const API_PREFIX = 'api/v1';
/** Served outside /api/v1 (ops endpoints). */
export const ROOT_ROUTES = ['healthz', 'readyz', 'metrics'];
/** Response headers the admin UI reads (paging, rate limits); exposed to allowed origins. */
export const EXPOSED_HEADERS = [
  'X-Total-Count',
  'X-Total-Count-Exact',
  'X-Next-Cursor',
  'Retry-After',
];
/** JSON and form bodies of every route but the bulk import (express's default). */
export const BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateApiAppOptions {
  /** Overrides config.databaseUrl (the launcher passes the embedded one). */
  databaseUrl?: string;
  /** Overrides the failed-login limits (tests). */
  loginRateLimits?: LoginRateLimits;
  /** Nest logger levels; default from config.logLevel. `false` silences Nest. */
  logger?: false;
}

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/**
 * A fully configured api application, not yet listening: global prefix,
 * validation, error shapes, OpenAPI at /api/docs, CORS (only for
 * config.api.corsOrigins), body limits, trust proxy, the
 * admin UI (when config.adminUiDir is set) and transfer_logs partitions.
 */
export async function createApiApp(
  config: WharfConfig,
  options: CreateApiAppOptions = {},
): Promise<INestApplication> {
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  if (!databaseUrl) throw new Error('createApiApp: no database URL (config.databaseUrl unset)');
  const jwtSecret = await resolveJwtSecret(config);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({
      config,
      databaseUrl,
      jwtSecret,
      queueOptions: queueOptions(config, databaseUrl),
      loginRateLimits: options.loginRateLimits ?? DEFAULT_LOGIN_RATE_LIMITS,
    }),
    // Explicit adapter: Nest would otherwise load platform-express with a dynamic import.
    new ExpressAdapter(),
    {
      logger:
        options.logger === false
          ? false
          : LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
      bufferLogs: false,
      // Registered below instead: the bulk import needs a larger JSON limit than the rest.
      bodyParser: false,
    },
  );
  app.set('trust proxy', config.api.trustProxy);
  app.disable('x-powered-by');
  // Same-origin by default: the admin UI is served by this app (and proxied by
  // Vite in development), so browsers get cross-origin access only when asked for.
  if (config.api.corsOrigins.length > 0) {
    app.enableCors({ origin: config.api.corsOrigins, exposedHeaders: EXPOSED_HEADERS });
  }
  // The bulk route's parser runs first; the general one then skips the parsed body.
  app.use(`/${API_PREFIX}/${BULK_ROUTE}`, jsonBodyParser(MAX_BULK_JSON_BYTES));
  app.use(jsonBodyParser(BODY_LIMIT_BYTES));
  app.use(express.urlencoded({ extended: true, limit: BODY_LIMIT_BYTES }));
  app.setGlobalPrefix(API_PREFIX, { exclude: ROOT_ROUTES });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // One message per field (the first constraint that fails), as docs/api.md promises.
      stopAtFirstError: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Wharf control-plane API')
      .setDescription(
        'Admins, API keys, FTP users, groups, servers, workers and audit. See docs/api.md.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or wharf_ API key' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  if (config.adminUiDir) serveAdminUi(app, config.adminUiDir);

  // At boot, awaited: a database that cannot take partitions should fail the start.
  await ensureTransferLogPartitions(app.get(DataSource), PARTITION_MONTHS_AHEAD);
  return app;
}

/**
 * express.json with a limit, answering a body over it with a JSON 413 that
 * names the limit (body-parser's own error only says "request entity too
 * large"). Other parse errors go on unchanged.
 */
function jsonBodyParser(limit: number): express.RequestHandler {
  const parse = express.json({ limit });
  return (request, response, next) => {
    parse(request, response, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        response.status(413).json({
          statusCode: 413,
          error: 'Payload Too Large',
          message: `request body is larger than ${limit} bytes, the limit of this route`,
        });
        return;
      }
      next(error);
    });
  };
}

/** The built react-admin SPA at `/`; unknown non-API paths get index.html (client routing). */
function serveAdminUi(app: NestExpressApplication, dir: string): void {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('ApiApp').warn(`admin UI not served: ${index} does not exist`);
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    const apiPath =
      request.path.startsWith('/api/') || ROOT_ROUTES.some((r) => request.path === `/${r}`);
    if (request.method !== 'GET' || apiPath) return next();
    response.sendFile(index);
  });
}
