import { HttpException, HttpStatus } from '@nestjs/common';

export enum AuthErrorCode {
  InvalidCredentials = 'invalid_credentials',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  RateLimited = 'rate_limited',
}

const STATUS: Record<AuthErrorCode, HttpStatus> = {
  [AuthErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [AuthErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [AuthErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
};

const ERROR: Record<AuthErrorCode, string> = {
  [AuthErrorCode.InvalidCredentials]: 'Unauthorized',
  [AuthErrorCode.Unauthenticated]: 'Unauthorized',
  [AuthErrorCode.Forbidden]: 'Forbidden',
  [AuthErrorCode.RateLimited]: 'Too Many Requests',
};

/** Authentication and authorization failures; the message never says which part was wrong. */
export class AuthException extends HttpException {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super({ statusCode: STATUS[code], error: ERROR[code], message, code }, STATUS[code]);
  }
}
