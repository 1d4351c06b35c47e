import { Module } from '@nestjs/common';

import { FtpSharedModule } from '../ftp-shared/ftp-shared.module';
import { ServersController } from './servers.controller';
import { ServersService } from './servers.service';

@Module({
  imports: [FtpSharedModule],
  controllers: [ServersController],
  providers: [ServersService],
})
export class ServersModule {}
