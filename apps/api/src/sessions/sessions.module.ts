import { Module } from '@nestjs/common';

import { FtpSharedModule } from '../ftp-shared/ftp-shared.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [FtpSharedModule],
  controllers: [SessionsController],
  providers: [SessionsService],
})
export class SessionsModule {}
