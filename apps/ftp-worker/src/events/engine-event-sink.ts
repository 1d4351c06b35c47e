import { Injectable } from '@nestjs/common';
import type { EventSink, FtpEvent } from '@wharf/ftp-protocol';

import { toTransferEventRecord } from '../audit/transfer-event-record';
import { TransferEventSpool } from '../audit/transfer-event-spool';
import { WorkerRegistryService } from '../registry/worker-registry.service';

/**
 * The engine's EventSink for one listener: each event becomes a
 * TransferEventRecord and is appended (fsync'd) to the spool. The engine
 * awaits `emit` before the reply that depends on the event, so a client never
 * hears "226" for an upload that is not yet on record (principle 3).
 */
@Injectable()
export class EngineEventSinks {
  constructor(
    private readonly spool: TransferEventSpool,
    private readonly registry: WorkerRegistryService,
  ) {}

  forServer(serverId: string): EventSink {
    const origin = { workerId: this.registry.workerId, serverId };
    return { emit: (event: FtpEvent) => this.spool.append(toTransferEventRecord(event, origin)) };
  }
}
