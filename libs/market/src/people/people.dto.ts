import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { PersonRole } from '../identity/principal';
import type { Locale } from './people.repository';

const ROLES: PersonRole[] = ['owner', 'merchandiser', 'dispatcher', 'viewer', 'operator'];
const LOCALES: Locale[] = ['zh-CN', 'en'];
/** Long enough to resist guessing, short enough that hashing it costs what it should. */
const PASSWORD = { min: 10, max: 200 };
const PASSWORD_MESSAGE = `password must be ${PASSWORD.min} to ${PASSWORD.max} characters`;

export class SignInDto {
  @ApiProperty({ example: 'li.wei@keqiao-weaving.cn' }) @IsString() @MaxLength(254) email!: string;
  @ApiProperty({ example: 'correct horse battery staple' }) @IsString() @Length(1, PASSWORD.max) password!: string;
  @ApiPropertyOptional({ example: '492039', description: 'operators only: the 6-digit code of the authenticator app' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'totpCode must be the 6 digits your authenticator app shows' }) totpCode?: string;
}

export class InvitePersonDto {
  @ApiProperty({ example: 'zhang.min@keqiao-weaving.cn' }) @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email!: string;
  @ApiProperty({ enum: ROLES, example: 'viewer', description: 'brand: owner, merchandiser, viewer; factory: owner, dispatcher, viewer; operator: operator' })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` }) role!: PersonRole;
  @ApiPropertyOptional({ enum: LOCALES, example: 'zh-CN', description: 'the language of their mails; default zh-CN' })
  @IsOptional() @IsIn(LOCALES, { message: 'locale must be zh-CN or en' }) locale?: Locale;
}

export class UpdatePersonDto {
  @ApiProperty({ enum: ROLES, example: 'viewer' }) @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` }) role!: PersonRole;
}

export class UpdateSelfDto {
  @ApiPropertyOptional({ enum: LOCALES, example: 'en' }) @IsOptional() @IsIn(LOCALES, { message: 'locale must be zh-CN or en' }) locale?: Locale;
  @ApiPropertyOptional({ type: [String], example: ['order.matched', 'offer.rejected'], description: 'event types to be told about by mail; [] for none' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) notify?: string[];
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'li.wei@keqiao-weaving.cn' }) @IsString() @MaxLength(254) email!: string;
}

/** Setting a password with a single-use token: an invitation's or a reset's. */
export class TokenPasswordDto {
  @ApiProperty({ example: 'q2-7wXb0cVh4QmZ1yq9cGk8Fh2rT5pLwA0sNdE6uYo', description: 'from the link in the mail' }) @IsString() @Length(20, 100) token!: string;
  @ApiProperty({ example: 'correct horse battery staple', minLength: PASSWORD.min, maxLength: PASSWORD.max }) @IsString() @Length(PASSWORD.min, PASSWORD.max, { message: PASSWORD_MESSAGE }) password!: string;
}

export const PASSWORD_RULE = { ...PASSWORD, message: PASSWORD_MESSAGE };
