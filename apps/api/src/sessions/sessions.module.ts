import { Module } from '@nestjs/common';

import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { WorkerQueuesService } from './worker-queues.service';

@Module({
  controllers: [SessionsController],
  providers: [SessionsService, WorkerQueuesService],
  exports: [WorkerQueuesService],
})
export class SessionsModule {}
