import { DataSource } from 'typeorm';

import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The one TypeORM data source definition. `synchronize` is never on.
 * `idleTimeoutMs`: how long a pooled connection may sit idle before it is
 * closed (pg's default is 10 s). A new PostgreSQL backend loads the catalog
 * entries of every relation it plans for: 12-33 ms for the first transfer_logs
 * query (8 partitions x 10 indexes), 1 ms after (docs/BENCHMARKS.md).
 */
export function createDataSource(
  url: string,
  options: { poolSize?: number; applicationName?: string; idleTimeoutMs?: number } = {},
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'wharf_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'wharf',
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMillis: options.idleTimeoutMs }),
    },
  });
}
