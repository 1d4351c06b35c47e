/** QuotaServiceOptions: this worker's id and the clock (tests move it across period boundaries). */
export const QUOTA_OPTIONS = Symbol('QUOTA_OPTIONS');

/** QuotaReconcileOptions: storage root, dead-worker and stale-temp-file thresholds. */
export const QUOTA_RECONCILE_OPTIONS = Symbol('QUOTA_RECONCILE_OPTIONS');

/** BullMQ QueueOptions of the maintenance queue (queueOptions(config, databaseUrl)). */
export const QUOTA_QUEUE_OPTIONS = Symbol('QUOTA_QUEUE_OPTIONS');

/** QuotaScheduleOptions: how often the reconcile job runs; tests shorten it or turn it off. */
export const QUOTA_SCHEDULE_OPTIONS = Symbol('QUOTA_SCHEDULE_OPTIONS');
