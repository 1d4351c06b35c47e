import { Module } from '@nestjs/common';

import { FtpSharedModule } from '../ftp-shared/ftp-shared.module';
import { FtpHomeService } from './ftp-home.service';
import { FtpUsersController } from './ftp-users.controller';
import { FtpUsersService } from './ftp-users.service';

@Module({
  imports: [FtpSharedModule],
  controllers: [FtpUsersController],
  providers: [FtpUsersService, FtpHomeService],
  exports: [FtpUsersService],
})
export class FtpUsersModule {}
