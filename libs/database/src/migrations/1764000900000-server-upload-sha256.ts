import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-server "upload SHA-256". True keeps what every server did so far: the
 * worker hashes each upload for its transfer-log row (`sha256`). False lets an
 * operator trade that checksum for CPU (about 0.6 s per GiB uploaded, which
 * competes with the transfers on a machine with few cores): the rows of that
 * server's uploads then have `sha256` null.
 */
export class ServerUploadSha2561764000900000 implements MigrationInterface {
  name = 'ServerUploadSha2561764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "servers" ADD COLUMN "upload_sha256" boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "servers" DROP COLUMN "upload_sha256"`);
  }
}
