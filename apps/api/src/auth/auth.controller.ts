import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';

import { ErrorBody, ValidationErrorBody } from '../common/errors';
import type { Actor } from './actor';
import { AuthService } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { LoginDto, LoginResponseDto, MeResponseDto } from './dto/login.dto';
import { Public, RequireRole } from './roles.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in as an admin and receive a bearer token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ type: ValidationErrorBody })
  @ApiUnauthorizedResponse({ type: ErrorBody, description: 'Invalid username or password' })
  @ApiTooManyRequestsResponse({
    type: ErrorBody,
    description: 'Too many failed logins for this IP or username; see Retry-After',
  })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    return this.auth.login(dto, ip);
  }

  @Get('me')
  @RequireRole(AdminRole.Auditor)
  @ApiOperation({ summary: 'Who am I (admin or API key) and with which role' })
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentActor() actor: Actor): MeResponseDto {
    return this.auth.me(actor);
  }

  @Post('logout')
  @RequireRole(AdminRole.Auditor)
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke every token of the calling admin' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ValidationErrorBody, description: 'Called with an API key' })
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }
}
