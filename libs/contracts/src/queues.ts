/** Every queue name, declared once (ARCHITECTURE.md "Queues"). */
export enum QueueName {
  TransferEvents = 'transfer-events',
  Maintenance = 'maintenance',
}

/** A worker's own nudge queue: `worker.<id>`. */
export const workerQueueName = (workerId: string): string => `worker.${workerId}`;

export enum WorkerJobName {
  ServerChanged = 'server-changed',
  UserChanged = 'user-changed',
  KickSession = 'kick-session',
}

export interface WorkerJobPayloads {
  [WorkerJobName.ServerChanged]: { serverId: string };
  [WorkerJobName.UserChanged]: { userId: string; disabled: boolean };
  [WorkerJobName.KickSession]: { sessionId: string };
}

export enum TransferEventsJobName {
  Batch = 'batch',
}

export enum MaintenanceJobName {
  QuotaReconcile = 'quota-reconcile',
  LogRetention = 'log-retention',
  EnsurePartitions = 'ensure-partitions',
}
