// Ordered by timestamp; every schema change is a new migration.
export const MIGRATIONS: Function[] = [];
