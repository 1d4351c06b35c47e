export enum TransfersErrorCode {
  /** A job whose payload is not a TransferEventsBatch: retrying cannot help. */
  InvalidBatch = 'INVALID_BATCH',
  /** A job name this processor does not know (a newer worker?). */
  UnknownJob = 'UNKNOWN_JOB',
}

/** Terminal errors of the transfers module; the processor discards these jobs with the reason. */
export class TransfersException extends Error {
  constructor(
    readonly code: TransfersErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransfersException';
  }
}
