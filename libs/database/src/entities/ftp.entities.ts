// ftp_users, groups, group memberships, permission_rules, servers, workers
export const FTP_ENTITIES: Function[] = [];
