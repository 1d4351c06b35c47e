/**
 * The settings an FTP user may set or inherit from its groups (quotas,
 * bandwidth, sessions, IP allow list, TLS). One list for the api's merge of
 * effective settings and for the admin UI's forms and CSV columns.
 */
export const FTP_LIMIT_FIELDS = [
  'quotaBytes',
  'quotaFiles',
  'uploadQuotaBytes',
  'downloadQuotaBytes',
  'quotaPeriod',
  'uploadBandwidth',
  'downloadBandwidth',
  'maxSessions',
  'allowedIps',
  'requireTls',
] as const;

export type FtpLimitField = (typeof FTP_LIMIT_FIELDS)[number];
