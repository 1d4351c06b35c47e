import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

import { RequireRole } from '../auth/roles.decorator';
import { ErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { WorkerView } from './dto/worker.dto';
import { WORKER_SORTABLE, WorkersService } from './workers.service';

@ApiTags('workers')
@Controller('workers')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Get()
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'FTP workers, as they registered themselves, with liveness' })
  @ApiListQuery(WORKER_SORTABLE)
  @ApiQuery({ name: 'status', required: false, enum: ['online', 'stale'] })
  @ApiQuery({ name: 'hostname', required: false })
  @ApiOkResponse({ type: [WorkerView] })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<WorkerView>> {
    return this.workers.list(query);
  }

  @Get(':id')
  @RequireRole(AdminRole.Auditor)
  @ApiOkResponse({ type: WorkerView })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id') id: string): Promise<WorkerView> {
    return this.workers.get(id);
  }
}
