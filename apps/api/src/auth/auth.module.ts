import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';

import { JWT_SECRET } from '../config.token';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthExceptionFilter } from './auth-exception.filter';
import { CredentialsService } from './credentials.service';
import { DownloadTokenService } from './download-token.service';
import { LOGIN_RATE_LIMITS, LoginRateLimiter, type LoginRateLimits } from './login-rate-limiter';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [JWT_SECRET],
      useFactory: (secret: string) => ({ secret, verifyOptions: { algorithms: ['HS256'] } }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    CredentialsService,
    DownloadTokenService,
    {
      provide: LoginRateLimiter,
      inject: [LOGIN_RATE_LIMITS],
      useFactory: (limits: LoginRateLimits) => new LoginRateLimiter(limits),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: AuthExceptionFilter },
  ],
  exports: [CredentialsService, DownloadTokenService],
})
export class AuthModule {}
