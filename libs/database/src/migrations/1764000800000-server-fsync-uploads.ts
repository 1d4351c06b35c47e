import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-server "fsync uploads" (ARCHITECTURE.md principle 3: uploads are durable
 * by default). True keeps what every server did so far: an upload's file and
 * its directory are fsync'd before the `226`. False lets an operator trade
 * that for throughput on many small files (the page cache, as vsftpd,
 * ProFTPD and Pure-FTPd do): a crash may then lose uploads already answered.
 */
export class ServerFsyncUploads1764000800000 implements MigrationInterface {
  name = 'ServerFsyncUploads1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "servers" ADD COLUMN "fsync_uploads" boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "servers" DROP COLUMN "fsync_uploads"`);
  }
}
