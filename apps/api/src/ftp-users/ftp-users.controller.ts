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
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';
import type { Request, Response } from 'express';

import { type Actor, CurrentActor } from '../auth/current-actor.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { ErrorBody, ParseId, ValidationErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { parseDryRun, readBulkBody } from './bulk-body';
import { SourcedValueView } from './dto/effective-settings.dto';
import { EffectiveSettingsView } from './dto/effective-settings.dto';
import {
  BulkDryRunView,
  BulkFtpUsersDto,
  BulkResultView,
  CreateFtpUserDto,
  FtpUserView,
  ReplaceFtpUserDto,
  ResetPasswordDto,
  UpdateFtpUserDto,
} from './dto/ftp-user.dto';
import { FTP_USER_LIST_SPEC, FtpUsersService } from './ftp-users.service';

@ApiTags('ftp-users')
@ApiExtraModels(SourcedValueView)
@ApiBadRequestResponse({ type: ValidationErrorBody })
@Controller('ftp-users')
export class FtpUsersController {
  constructor(private readonly users: FtpUsersService) {}

  @Get()
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'List FTP users (react-admin conventions; total in X-Total-Count)' })
  @ApiQuery({ name: 'username', required: false, description: 'Exact, case-insensitive' })
  @ApiQuery({ name: 'enabled', required: false, type: Boolean })
  @ApiQuery({ name: 'groupId', required: false, format: 'uuid' })
  @ApiListQuery([...FTP_USER_LIST_SPEC.sortable])
  @ApiOkResponse({ type: [FtpUserView] })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<FtpUserView>> {
    return this.users.list(query);
  }

  @Post('bulk')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({
    summary: 'Create many users, all or nothing',
    description:
      'JSON `{ "users": [...] }` (each like POST /ftp-users, plus `groups` as names) or `text/csv` ' +
      'with a header row: username,password,enabled,expiresAt,homeDir,quotaBytes,quotaFiles,' +
      'uploadQuotaBytes,downloadQuotaBytes,quotaPeriod,uploadBandwidth,downloadBandwidth,' +
      'maxSessions,allowedIps,requireTls,groups (lists `;`-separated). Any bad row -> 400 with ' +
      '`errors: [{ line, field, message }]` and nothing is created. With `?dryRun=true` every ' +
      'check runs against the database (usernames taken, groups unknown) and the answer is the ' +
      'same 400, or 200 with the users that would be created; nothing is written.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ type: BulkFtpUsersDto })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiCreatedResponse({ type: BulkResultView })
  @ApiOkResponse({ type: BulkDryRunView, description: 'dryRun=true and every row is valid' })
  @ApiConflictResponse({ type: ErrorBody })
  async bulk(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentActor() actor: Actor,
    @Query('dryRun') dryRun?: unknown,
  ): Promise<BulkResultView | BulkDryRunView> {
    if (!parseDryRun(dryRun)) return this.users.bulk(await readBulkBody(req), actor);
    res.status(200);
    return this.users.bulkDryRun(await readBulkBody(req));
  }

  @Get(':id')
  @RequireRole(AdminRole.Auditor)
  @ApiOkResponse({ type: FtpUserView })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseId) id: string): Promise<FtpUserView> {
    return this.users.get(id);
  }

  @Get(':id/effective')
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({
    summary: "The user's settings merged with their groups', with each value's source",
  })
  @ApiOkResponse({ type: EffectiveSettingsView })
  @ApiNotFoundResponse({ type: ErrorBody })
  effective(@Param('id', ParseId) id: string): Promise<EffectiveSettingsView> {
    return this.users.effective(id);
  }

  @Post()
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Create an FTP user (all permissions on / unless given)' })
  @ApiCreatedResponse({ type: FtpUserView })
  @ApiConflictResponse({ type: ErrorBody, description: 'username already exists' })
  create(@Body() dto: CreateFtpUserDto, @CurrentActor() actor: Actor): Promise<FtpUserView> {
    return this.users.create(dto, actor);
  }

  @Patch(':id')
  @RequireRole(AdminRole.Admin)
  @ApiOkResponse({ type: FtpUserView })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody })
  update(
    @Param('id', ParseId) id: string,
    @Body() dto: UpdateFtpUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<FtpUserView> {
    return this.users.update(id, dto, actor, 'patch');
  }

  @Put(':id')
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Replace an FTP user; omitted fields return to their defaults' })
  @ApiOkResponse({ type: FtpUserView })
  @ApiNotFoundResponse({ type: ErrorBody })
  @ApiConflictResponse({ type: ErrorBody })
  replace(
    @Param('id', ParseId) id: string,
    @Body() dto: ReplaceFtpUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<FtpUserView> {
    return this.users.update(id, dto, actor, 'put');
  }

  @Post(':id/password')
  @HttpCode(204)
  @RequireRole(AdminRole.Admin)
  @ApiNoContentResponse({ description: 'Password replaced' })
  @ApiNotFoundResponse({ type: ErrorBody })
  resetPassword(
    @Param('id', ParseId) id: string,
    @Body() dto: ResetPasswordDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    return this.users.resetPassword(id, dto.password, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Delete an FTP user (files in the home directory are kept)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBody })
  remove(@Param('id', ParseId) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.users.remove(id, actor);
  }
}
