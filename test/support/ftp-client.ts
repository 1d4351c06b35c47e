/* basic-ftp steps the end-to-end suites share. */
import { PassThrough } from 'node:stream';

import type { Client } from 'basic-ftp';

/** RETR of `remote` into memory. */
export async function download(client: Client, remote: string): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await client.downloadTo(sink, remote);
  return Buffer.concat(chunks);
}
