export * from './permissions';
export * from './queues';
export * from './roles';
export * from './uuid';
export * from './version';
