import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

import { type Actor, CurrentActor } from '../auth/current-actor.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { ErrorBody, ParseId, ValidationErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { CreateServerDto, ServerStatusView, ServerView, UpdateServerDto } from './dto/server.dto';
import { SERVER_SORTABLE, ServersService } from './servers.service';

@ApiTags('servers')
@ApiBadRequestResponse({ type: ValidationErrorBody })
@Controller('servers')
export class ServersController {
  constructor(private readonly servers: ServersService) {}

  @Get()
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'List FTP servers (listener configurations)' })
  @ApiListQuery(SERVER_SORTABLE)
  @ApiQuery({ name: 'name', required: false })
  @ApiQuery({ name: 'enabled', required: false, type: Boolean })
  @ApiQuery({ name: 'tlsMode', required: false, enum: ['none', 'explicit', 'implicit'] })
  @ApiQuery({ name: 'workerId', required: false, description: 'Servers this worker runs' })
  @ApiOkResponse({ type: [ServerView] })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<ServerView>> {
    return this.servers.list(query);
  }

  @Get(':id')
  @RequireRole(AdminRole.Auditor)
  @ApiOkResponse({ type: ServerView })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseId) id: string): Promise<ServerView> {
    return this.servers.get(id);
  }

  @Get(':id/status')
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'Which workers should run this server, and whether they report it' })
  @ApiOkResponse({ type: ServerStatusView })
  @ApiNotFoundResponse({ type: ErrorBody })
  status(@Param('id', ParseId) id: string): Promise<ServerStatusView> {
    return this.servers.status(id);
  }

  @Post()
  @RequireRole(AdminRole.Admin)
  @ApiCreatedResponse({ type: ServerView })
  @ApiConflictResponse({ type: ErrorBody, description: 'name, or bind address + port, taken' })
  create(@Body() dto: CreateServerDto, @CurrentActor() actor: Actor): Promise<ServerView> {
    return this.servers.create(dto, actor);
  }

  @Patch(':id')
  @RequireRole(AdminRole.Admin)
  @ApiOkResponse({ type: ServerView })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody })
  update(
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateServerDto,
    @CurrentActor() actor: Actor,
  ): Promise<ServerView> {
    return this.servers.update(id, dto, actor, 'patch');
  }

  @Put(':id')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({
    summary:
      'Replace a server; omitted fields return to defaults, the TLS pair is kept unless given',
  })
  @ApiOkResponse({ type: ServerView })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody })
  replace(
    @Param('id', ParseId) id: string,
    @Body() dto: CreateServerDto,
    @CurrentActor() actor: Actor,
  ): Promise<ServerView> {
    return this.servers.update(id, dto, actor, 'put');
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(AdminRole.Admin)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBody })
  remove(@Param('id', ParseId) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.servers.remove(id, actor);
  }
}
