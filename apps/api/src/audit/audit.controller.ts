import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

import { RequireRole } from '../auth/roles.decorator';
import { ErrorBody, ParseId, ValidationErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { AuditQueryService } from './audit-query.service';
import { AuditLogDto } from './dto/audit-log.dto';

@ApiTags('audit')
@Controller('audit')
@RequireRole(AdminRole.Auditor)
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Admin audit log, newest first' })
  @ApiListQuery(['at', 'action', 'targetType', 'actorUsername'])
  @ApiQuery({ name: 'actor', required: false, description: 'Actor username or id' })
  @ApiQuery({ name: 'actorKind', required: false, enum: ['admin', 'api-key'] })
  @ApiQuery({ name: 'action', required: false, example: 'update' })
  @ApiQuery({ name: 'targetType', required: false, example: 'ftp-user' })
  @ApiQuery({ name: 'targetId', required: false })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'ISO time, inclusive',
    example: '2026-11-01T00:00:00Z',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'ISO time, exclusive',
    example: '2026-12-01T00:00:00Z',
  })
  @ApiOkResponse({
    type: [AuditLogDto],
    headers: { 'X-Total-Count': { schema: { type: 'integer' } } },
  })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  list(@Query() query: Record<string, unknown>): Promise<Paginated<AuditLogDto>> {
    return this.audit.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One audit entry' })
  @ApiOkResponse({ type: AuditLogDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseId) id: string): Promise<AuditLogDto> {
    return this.audit.get(id);
  }
}
