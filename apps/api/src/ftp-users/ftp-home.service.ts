import { mkdir, realpath } from 'node:fs/promises';
import * as path from 'node:path';

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WharfConfig } from '@wharf/config';

import { WHARF_CONFIG } from '../config.token';
import { resolveHomeDir } from '../ftp-shared/ftp-validators';

/** Creates FTP users' home directories under the storage root (never outside it). */
@Injectable()
export class FtpHomeService {
  private readonly logger = new Logger(FtpHomeService.name);

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  /**
   * mkdir -p of the home, then a realpath check: a symlink planted inside
   * the storage root must not make a home land outside it.
   */
  async ensure(homeDir: string): Promise<string> {
    const root = path.resolve(this.config.storageRoot);
    const absolute = resolveHomeDir(root, homeDir);
    await mkdir(absolute, { recursive: true, mode: 0o750 });
    const [realRoot, realHome] = await Promise.all([realpath(root), realpath(absolute)]);
    if (realHome !== realRoot && !realHome.startsWith(realRoot + path.sep)) {
      throw new Error(`home directory ${homeDir} resolves outside the storage root`);
    }
    this.logger.debug(`home directory ready: ${homeDir}`);
    return realHome;
  }
}
