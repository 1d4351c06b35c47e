import { Module } from '@nestjs/common';

import { FtpHomeService } from './ftp-home.service';
import { FtpUsersController } from './ftp-users.controller';
import { FtpUsersService } from './ftp-users.service';

@Module({
  controllers: [FtpUsersController],
  providers: [FtpUsersService, FtpHomeService],
  exports: [FtpUsersService],
})
export class FtpUsersModule {}
