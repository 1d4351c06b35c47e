export * from './data-source';
export * from './embedded-postgres';
export * from './entities';
export * from './ftp/effective-settings';
export * from './queue-connection';
export * from './seeds/demo-server.seed';
export * from './tls/self-signed-certificate';
