import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { WharfConfig } from '@wharf/config';
import { AdminEntity, verifyAgainstDummy, verifyPassword } from '@wharf/database';
import { DataSource } from 'typeorm';

import { validationFailed } from '../common/errors';
import { WHARF_CONFIG } from '../config.token';
import type { Actor } from './actor';
import { AuthErrorCode, AuthException } from './auth.exception';
import type { AccessTokenPayload } from './credentials.service';
import type { LoginDto, LoginResponseDto, MeResponseDto } from './dto/login.dto';
import { LoginRateLimiter } from './login-rate-limiter';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly limiter: LoginRateLimiter,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async login(dto: LoginDto, ip: string): Promise<LoginResponseDto> {
    const retryAfter = this.limiter.retryAfterSeconds(ip, dto.username);
    if (retryAfter > 0) {
      this.logger.warn(`login rate limited ip=${ip} username=${dto.username}`);
      throw new AuthException(
        AuthErrorCode.RateLimited,
        'Too many failed logins, try again later',
        retryAfter,
      );
    }
    const admin = await this.dataSource
      .getRepository(AdminEntity)
      .createQueryBuilder('a')
      .where('lower(a.username) = lower(:username)', { username: dto.username })
      .getOne();
    // An unknown user costs one argon2 verification too, so timing does not tell.
    const ok = admin
      ? await verifyPassword(admin.passwordHash, dto.password)
      : await verifyAgainstDummy(dto.password);
    if (!admin || !ok || !admin.enabled) {
      this.limiter.recordFailure(ip, dto.username);
      this.logger.warn(`failed admin login ip=${ip} username=${dto.username}`);
      throw new AuthException(AuthErrorCode.InvalidCredentials, 'Invalid username or password');
    }
    this.limiter.recordSuccess(dto.username);
    await this.dataSource
      .getRepository(AdminEntity)
      .update({ id: admin.id }, { lastLoginAt: new Date() });
    const payload: AccessTokenPayload = {
      sub: admin.id,
      ver: admin.tokenVersion,
      username: admin.username,
    };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.jwt.ttlSeconds,
      algorithm: 'HS256',
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwt.ttlSeconds,
      admin: { id: admin.id, username: admin.username, role: admin.role },
    };
  }

  me(actor: Actor): MeResponseDto {
    return {
      kind: actor.kind,
      adminId: actor.adminId,
      apiKeyId: actor.apiKeyId,
      username: actor.username,
      role: actor.role,
    };
  }

  /** Revokes every token of the admin (token_version bump): logout is "log out everywhere". */
  async logout(actor: Actor): Promise<void> {
    if (actor.kind !== 'admin' || !actor.adminId) {
      throw validationFailed([
        {
          field: 'authorization',
          message: 'API keys are revoked with DELETE /api/v1/api-keys/:id',
        },
      ]);
    }
    await this.dataSource.query(
      'UPDATE admins SET token_version = token_version + 1 WHERE id = $1',
      [actor.adminId],
    );
  }
}
