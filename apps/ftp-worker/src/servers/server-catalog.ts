import { Injectable } from '@nestjs/common';
import { FtpServer as FtpServerRow } from '@wharf/database';
import { DataSource } from 'typeorm';

/**
 * Which servers this worker runs (docs/design/2026-11-25-ftp-resources-api.md
 * "Assignment"): enabled servers pinned to it in `server_workers`, and enabled
 * servers pinned to nobody (they run on every worker).
 */
@Injectable()
export class ServerCatalog {
  constructor(private readonly dataSource: DataSource) {}

  serversFor(workerId: string): Promise<FtpServerRow[]> {
    return this.dataSource
      .getRepository(FtpServerRow)
      .createQueryBuilder('s')
      .where('s.enabled = true')
      .andWhere(
        `(NOT EXISTS (SELECT 1 FROM "server_workers" a WHERE a."server_id" = s."id")
          OR EXISTS (SELECT 1 FROM "server_workers" a
                      WHERE a."server_id" = s."id" AND a."worker_id" = :workerId))`,
        { workerId },
      )
      .orderBy('s.name')
      .getMany();
  }
}
