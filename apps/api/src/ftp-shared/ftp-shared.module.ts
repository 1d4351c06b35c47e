import { Module } from '@nestjs/common';

import { WorkerNudgesService } from './worker-nudges.service';

/** What the FTP resource and session modules share: sending jobs to workers. */
@Module({
  providers: [WorkerNudgesService],
  exports: [WorkerNudgesService],
})
export class FtpSharedModule {}
