import { Module } from '@nestjs/common';

import { SessionsModule } from '../sessions/sessions.module';
import { WorkerNudgesService } from './worker-nudges.service';

/** What the FTP resource modules share: nudging workers after a change. */
@Module({
  imports: [SessionsModule],
  providers: [WorkerNudgesService],
  exports: [WorkerNudgesService],
})
export class FtpSharedModule {}
