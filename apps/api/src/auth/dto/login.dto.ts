import { ApiProperty } from '@nestjs/swagger';
import { AdminRole } from '@wharf/contracts';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class AdminSummaryDto {
  @ApiProperty({ example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f', format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'admin' })
  username!: string;

  @ApiProperty({ enum: AdminRole, example: AdminRole.Superadmin })
  role!: AdminRole;
}

export class LoginResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ example: 3600, description: 'Seconds until the token expires' })
  expiresIn!: number;

  @ApiProperty({ type: AdminSummaryDto })
  admin!: AdminSummaryDto;
}

export class MeResponseDto {
  @ApiProperty({ enum: ['admin', 'api-key'], example: 'admin' })
  kind!: 'admin' | 'api-key';

  @ApiProperty({
    example: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f',
    nullable: true,
    type: String,
    description: 'The admin; for an API key, the admin who created it (null once deleted)',
  })
  adminId!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  apiKeyId!: string | null;

  @ApiProperty({ example: 'admin' })
  username!: string;

  @ApiProperty({ enum: AdminRole, example: AdminRole.Superadmin })
  role!: AdminRole;
}
