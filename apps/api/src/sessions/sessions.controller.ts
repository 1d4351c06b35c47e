import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { ErrorBody, ValidationErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { KickAcceptedDto, LiveSessionDto } from './dto/live-session.dto';
import { SESSIONS_LIST_SPEC, SessionsService } from './sessions.service';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'Live FTP sessions on all workers with a fresh heartbeat' })
  @ApiListQuery(SESSIONS_LIST_SPEC.sortable)
  @ApiQuery({ name: 'workerId', required: false })
  @ApiQuery({ name: 'serverId', required: false, format: 'uuid' })
  @ApiQuery({ name: 'userId', required: false, format: 'uuid' })
  @ApiQuery({ name: 'username', required: false })
  @ApiOkResponse({
    type: [LiveSessionDto],
    headers: { 'X-Total-Count': { schema: { type: 'integer' } } },
  })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<LiveSessionDto>> {
    return this.sessions.list(query);
  }

  @Delete(':id')
  @HttpCode(202)
  @RequireRole(AdminRole.Admin)
  @ApiOperation({
    summary: 'Close a session: its worker replies 421 and disconnects within about a second',
  })
  @ApiAcceptedResponse({ type: KickAcceptedDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  kick(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<KickAcceptedDto> {
    return this.sessions.kick(id, actor);
  }
}
