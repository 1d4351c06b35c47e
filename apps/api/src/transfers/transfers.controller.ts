import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminRole, TRANSFER_OPERATIONS, TRANSFER_OUTCOMES } from '@wharf/contracts';
import type { Response } from 'express';

import { type Actor, CurrentActor } from '../auth/current-actor.decorator';
import { DOWNLOAD_TOKEN_PARAM, DownloadPurpose } from '../auth/download-token';
import { asUrlQuery, DownloadTokenService } from '../auth/download-token.service';
import { AcceptsDownloadToken, RequireRole } from '../auth/roles.decorator';
import { ErrorBody, ValidationErrorBody } from '../common/errors';
import type { Paginated } from '../common/list-query';
import { ApiListQuery } from '../common/list-query.openapi';
import { DownloadLinkDto, TransferLogDto, TransferStatsDto } from './dto/transfer-log.dto';
import { TransferStatsService } from './transfer-stats.service';
import { COUNT_ESTIMATE_TRUSTED, EXACT_COUNT_LIMIT, TransfersService } from './transfers.service';

/** Where export links point; the app's global prefix is api/v1. */
const EXPORT_PATH = '/api/v1/transfers/export.csv';

function ApiTransferFilters(): MethodDecorator {
  const decorators: MethodDecorator[] = [
    ApiQuery({ name: 'username', required: false, description: 'Case-insensitive, exact' }),
    ApiQuery({ name: 'userId', required: false, format: 'uuid' }),
    ApiQuery({ name: 'clientIp', required: false, description: 'An address or a CIDR' }),
    ApiQuery({ name: 'operation', required: false, enum: TRANSFER_OPERATIONS, isArray: true }),
    ApiQuery({ name: 'outcome', required: false, enum: TRANSFER_OUTCOMES, isArray: true }),
    ApiQuery({ name: 'pathPrefix', required: false, description: 'Path or target path prefix' }),
    ApiQuery({ name: 'serverId', required: false, format: 'uuid' }),
    ApiQuery({ name: 'workerId', required: false }),
    ApiQuery({ name: 'sessionId', required: false }),
    ApiQuery({ name: 'from', required: false, description: 'ISO time, inclusive' }),
    ApiQuery({ name: 'to', required: false, description: 'ISO time, exclusive' }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'X-Next-Cursor of the previous page (keyset pagination; _start is ignored)',
    }),
  ];
  return applyDecorators(...decorators);
}

@ApiTags('transfers')
@Controller('transfers')
@RequireRole(AdminRole.Auditor)
export class TransfersController {
  constructor(
    private readonly transfers: TransfersService,
    private readonly transferStats: TransferStatsService,
    private readonly downloads: DownloadTokenService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'FTP audit trail (logins, transfers, file operations), newest first',
    description: `X-Total-Count is exact up to ${EXACT_COUNT_LIMIT} matching rows; above, it is PostgreSQL's row estimate (at least ${EXACT_COUNT_LIMIT + 1}) and X-Total-Count-Exact is false. When the planner expects more than ${COUNT_ESTIMATE_TRUSTED} matches, the estimate is answered without counting. An estimate can be off either way (for a clientIp network it is usually ${EXACT_COUNT_LIMIT + 1}, a lower bound); X-Next-Cursor is absent exactly on the last page.`,
  })
  @ApiListQuery(['occurredAt'])
  @ApiTransferFilters()
  @ApiOkResponse({
    type: [TransferLogDto],
    headers: {
      'X-Total-Count': { schema: { type: 'integer' } },
      'X-Total-Count-Exact': { schema: { type: 'boolean' } },
      'X-Next-Cursor': { schema: { type: 'string' }, description: 'Absent on the last page' },
    },
  })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  async list(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Paginated<TransferLogDto>> {
    const result = await this.transfers.list(query);
    response.setHeader('X-Total-Count-Exact', String(result.exactTotal));
    if (result.nextCursor) response.setHeader('X-Next-Cursor', result.nextCursor);
    return result.page;
  }

  @Post('export-tokens')
  @ApiOperation({
    summary: 'A link to export.csv with this filter that a browser can follow by itself',
    description:
      'The link carries a token bound to the calling admin, this exact filter and the CSV export, valid for 60 s. Signed-in admins only (API keys call export.csv directly).',
  })
  @ApiBody({
    description: 'The filters and _order of GET export.csv, as strings or lists of strings',
    schema: { type: 'object', additionalProperties: true, example: { operation: ['upload'] } },
  })
  @ApiCreatedResponse({ type: DownloadLinkDto })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  exportLink(
    @CurrentActor() actor: Actor,
    @Body() body: Record<string, unknown>,
  ): Promise<DownloadLinkDto> {
    const query = asUrlQuery(body ?? {});
    // A bad filter is a 400 now, not a broken download later.
    this.transfers.prepareExport(query);
    return this.downloads.link(actor, DownloadPurpose.TransfersExport, EXPORT_PATH, query);
  }

  @Get('export.csv')
  @AcceptsDownloadToken(DownloadPurpose.TransfersExport)
  @ApiOperation({
    summary: 'The filtered audit trail as CSV, streamed (formula cells neutralised)',
  })
  @ApiTransferFilters()
  @ApiQuery({ name: '_order', required: false, enum: ['ASC', 'DESC'] })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header line' })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  async export(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const { [DOWNLOAD_TOKEN_PARAM]: _token, ...filter } = query;
    const write = this.transfers.prepareExport(filter);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="transfers-${stamp}.csv"`);
    response.setHeader('Cache-Control', 'no-store');
    try {
      await write(response);
      response.end();
    } catch (error) {
      // Before the first byte Nest can still answer with an error status; after it,
      // only a broken connection tells the client the file is incomplete.
      if (!response.headersSent) throw error;
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Dashboard numbers: bytes and transfers per bucket, top users, failed logins',
  })
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'ISO time, inclusive; default to - 24 h',
  })
  @ApiQuery({ name: 'to', required: false, description: 'ISO time, exclusive; default now' })
  @ApiQuery({ name: 'bucket', required: false, enum: ['hour', 'day'] })
  @ApiOkResponse({ type: TransferStatsDto })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  stats(@Query() query: Record<string, unknown>): Promise<TransferStatsDto> {
    return this.transferStats.stats(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One audit event' })
  @ApiOkResponse({ type: TransferLogDto })
  @ApiNotFoundResponse({ type: ErrorBody })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TransferLogDto> {
    return this.transfers.get(id);
  }
}
