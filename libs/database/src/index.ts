export * from './data-source';
export * from './embedded-postgres';
export * from './entities';
export * from './queue-connection';
