export enum QuotaErrorCode {
  /** Storage bytes, storage files or the upload transfer quota would be exceeded. */
  UploadRefused = 'UPLOAD_REFUSED',
  /** The download transfer quota of the current period is used up. */
  DownloadRefused = 'DOWNLOAD_REFUSED',
  /** reserve() without beginUpload(): the FileSystem was not wrapped by the quota session. */
  NoActiveUpload = 'NO_ACTIVE_UPLOAD',
  UnknownUser = 'UNKNOWN_USER',
  UnknownJob = 'UNKNOWN_JOB',
}

/** Typed failure of the quota module; keeps its cause. */
export class QuotaException extends Error {
  constructor(
    readonly code: QuotaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QuotaException';
  }
}
