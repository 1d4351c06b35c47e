import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@Controller('api-keys')
@ApiBadRequestResponse({ type: ValidationErrorBody })
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiListQuery(['name', 'role', 'createdAt', 'lastUsedAt', 'expiresAt'])
  @ApiQuery({ name: 'role', required: false, enum: AdminRole })
  @ApiQuery({ name: 'revoked', required: false, type: Boolean })
  @ApiOkResponse({
    type: [ApiKeyDto],
    headers: { 'X-Total-Count': { schema: { type: 'integer' } } },
  })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<ApiKeyDto>> {
    return this.keys.list(query);
  }

  @Get(':id')
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'One API key (never its secret)' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseId) id: string): Promise<ApiKeyDto> {
    return this.keys.get(id);
  }

  @Post()
  @RequireRole(AdminRole.Admin)
  @ApiOperation({ summary: 'Create an API key; the secret is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() dto: CreateApiKeyDto, @CurrentActor() actor: Actor): Promise<CreatedApiKeyDto> {
    return this.keys.create(dto, actor);
  }

  @Delete(':id')
  @RequireRole(AdminRole.Admin)
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (kept in the list with revokedAt)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorBody })
  revoke(@Param('id', ParseId) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.keys.revoke(id, actor);
  }
}
