import type { WharfConfig } from '@wharf/config';
import {
  type ConnectionOptions,
  createPostgresBackend,
  createRedisBackend,
  type QueueOptions,
  setDefaultBackendFactory,
} from 'bullmq';

/**
 * The options every Queue and Worker of this process is built with, for
 * whichever backend the config selects (Redis when REDIS_URL is set, else
 * BullMQ's PostgreSQL backend in the same database). Queue code never looks at
 * which one it got (ARCHITECTURE.md "Queues").
 *
 * Selecting the backend sets BullMQ's process-wide default factory, which is
 * how @nestjs/bullmq's `new Queue(...)` calls pick it up.
 */
export function queueOptions(config: WharfConfig, databaseUrl: string): QueueOptions {
  if (config.queue.backend === 'redis') {
    setDefaultBackendFactory(createRedisBackend);
    const url = new URL(config.queue.url);
    const connection: ConnectionOptions = {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
    return { connection, prefix: config.queue.prefix };
  }
  setDefaultBackendFactory(createPostgresBackend);
  // The PostgreSQL backend namespaces by schema, not key prefix.
  const connection = {
    connectionString: databaseUrl,
    schema: `${config.queue.prefix.replace(/-/g, '_')}_queues`,
    migrate: true,
    max: 5,
  };
  // BullMQ's QueueOptions is typed for the default (Redis) connection; the
  // PostgreSQL factory accepts this pool config at runtime.
  return { connection: connection as unknown as ConnectionOptions };
}
