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

import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { ErrorBody, ParseId, ValidationErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { AdminsService } from './admins.service';
import { AdminDto, CreateAdminDto, UpdateAdminDto } from './dto/admin.dto';

@ApiTags('admins')
@Controller('admins')
@RequireRole(AdminRole.Superadmin)
@ApiBadRequestResponse({ type: ValidationErrorBody })
export class AdminsController {
  constructor(private readonly admins: AdminsService) {}

  @Get()
  @ApiOperation({ summary: 'List admins' })
  @ApiListQuery(['username', 'role', 'enabled', 'createdAt', 'lastLoginAt'])
  @ApiQuery({ name: 'role', required: false, enum: AdminRole })
  @ApiQuery({ name: 'enabled', required: false, type: Boolean })
  @ApiQuery({ name: 'username', required: false })
  @ApiOkResponse({
    type: [AdminDto],
    headers: { 'X-Total-Count': { schema: { type: 'integer' } } },
  })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<AdminDto>> {
    return this.admins.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One admin' })
  @ApiOkResponse({ type: AdminDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseId) id: string): Promise<AdminDto> {
    return this.admins.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create an admin' })
  @ApiCreatedResponse({ type: AdminDto })
  @ApiConflictResponse({ type: ErrorBody, description: 'Username taken' })
  create(@Body() dto: CreateAdminDto, @CurrentActor() actor: Actor): Promise<AdminDto> {
    return this.admins.create(dto, actor);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update an admin (only the fields sent; same as PATCH)' })
  @ApiOkResponse({ type: AdminDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({
    type: ErrorBody,
    description: 'Username taken, or last enabled superadmin',
  })
  put(
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateAdminDto,
    @CurrentActor() actor: Actor,
  ): Promise<AdminDto> {
    return this.admins.update(id, dto, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update an admin (only the fields sent)' })
  @ApiOkResponse({ type: AdminDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({
    type: ErrorBody,
    description: 'Username taken, or last enabled superadmin',
  })
  patch(
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateAdminDto,
    @CurrentActor() actor: Actor,
  ): Promise<AdminDto> {
    return this.admins.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an admin' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody, description: 'Last enabled superadmin' })
  remove(@Param('id', ParseId) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.admins.remove(id, actor);
  }
}
