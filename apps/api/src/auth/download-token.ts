/** What a download token may be used for: one purpose per streamed download route. */
export enum DownloadPurpose {
  TransfersExport = 'transfers-export',
}

/** Short enough that a leaked URL (history, logs of a proxy) is soon worthless. */
export const DOWNLOAD_TOKEN_TTL_SECONDS = 60;

/** Query parameter that carries the token in a download URL. */
export const DOWNLOAD_TOKEN_PARAM = 'token';
