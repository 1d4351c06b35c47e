export * from './ftp-limits';
export * from './permissions';
export * from './queues';
export * from './roles';
export * from './sessions';
export * from './transfer-events';
export * from './uuid';
export * from './version';
