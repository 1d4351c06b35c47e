/** Injection token of the typed WharfConfig: `@Inject(WHARF_CONFIG) config: WharfConfig`. */
export const WHARF_CONFIG = Symbol('WHARF_CONFIG');

/** The resolved JWT signing secret (config or `<dataDir>/jwt-secret`). */
export const JWT_SECRET = Symbol('JWT_SECRET');

/**
 * BullMQ QueueOptions for this process (Redis or PostgreSQL backend):
 * `new Queue(name, queueOptions)`. BullModule.forRoot is configured with them too.
 */
export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');
