/** QueueOptions (from queueOptions(config, databaseUrl)) of the audit queue. */
export const AUDIT_QUEUE_OPTIONS = Symbol('AUDIT_QUEUE_OPTIONS');
