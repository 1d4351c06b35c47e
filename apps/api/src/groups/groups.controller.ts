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
import { CreateGroupDto, GroupView, UpdateGroupDto } from './dto/group.dto';
import { GROUP_SORTABLE, GroupsService } from './groups.service';

@ApiTags('groups')
@ApiBadRequestResponse({ type: ValidationErrorBody })
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'List groups (react-admin conventions; total in X-Total-Count)' })
  @ApiListQuery(GROUP_SORTABLE)
  @ApiQuery({ name: 'name', required: false, description: 'Exact, case-insensitive' })
  @ApiQuery({ name: 'memberId', required: false, description: 'Groups of this FTP user' })
  @ApiOkResponse({ type: [GroupView] })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<GroupView>> {
    return this.groups.list(query);
  }

  @Get(':id')
  @RequireRole(AdminRole.Auditor)
  @ApiOkResponse({ type: GroupView })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseId) id: string): Promise<GroupView> {
    return this.groups.get(id);
  }

  @Post()
  @RequireRole(AdminRole.Admin)
  @ApiCreatedResponse({ type: GroupView })
  @ApiConflictResponse({ type: ErrorBody, description: 'name already exists' })
  create(@Body() dto: CreateGroupDto, @CurrentActor() actor: Actor): Promise<GroupView> {
    return this.groups.create(dto, actor);
  }

  @Patch(':id')
  @RequireRole(AdminRole.Admin)
  @ApiOkResponse({ type: GroupView })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody })
  update(
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateGroupDto,
    @CurrentActor() actor: Actor,
  ): Promise<GroupView> {
    return this.groups.update(id, dto, actor, 'patch');
  }

  @Put(':id')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Replace a group; omitted fields return to their defaults' })
  @ApiOkResponse({ type: GroupView })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody })
  replace(
    @Param('id', ParseId) id: string,
    @Body() dto: CreateGroupDto,
    @CurrentActor() actor: Actor,
  ): Promise<GroupView> {
    return this.groups.update(id, dto, actor, 'put');
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Delete a group (members stay; they lose its defaults and rules)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBody })
  remove(@Param('id', ParseId) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.groups.remove(id, actor);
  }
}
