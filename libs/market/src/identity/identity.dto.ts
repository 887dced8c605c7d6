import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_RULE } from '../people/people.dto';

const CERTIFICATION = /^[A-Za-z0-9][A-Za-z0-9 .\-+]{1,39}$/;

export class SignupDto {
  @ApiProperty({ enum: ['brand', 'factory'], example: 'factory' })
  @IsIn(['brand', 'factory'])
  kind!: 'brand' | 'factory';

  @ApiProperty({ example: 'Keqiao Weaving No. 3', minLength: 2, maxLength: 120 })
  @IsString() @Length(2, 120)
  name!: string;

  @ApiPropertyOptional({ example: 'Shaoxing', maxLength: 80 })
  @IsOptional() @IsString() @Length(1, 80)
  city?: string;

  @ApiPropertyOptional({ example: 'Zhejiang', maxLength: 80 })
  @IsOptional() @IsString() @Length(1, 80)
  province?: string;

  @ApiPropertyOptional({ type: [String], example: ['OEKO-TEX', 'GRS'], maxItems: 20, description: 'factories only' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(CERTIFICATION, { each: true, message: 'each certification is 2-40 letters, digits, spaces or .-+' })
  certifications?: string[];

  @ApiPropertyOptional({ example: false, description: 'factories only: skip the offer step and confirm allocations at once' })
  @IsOptional() @IsBoolean()
  autoAccept?: boolean;

  @ApiPropertyOptional({ example: 'li.wei@keqiao-weaving.cn', description: 'with password: the owner, who signs in with them (POST /sessions)' })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'correct horse battery staple', minLength: PASSWORD_RULE.min, maxLength: PASSWORD_RULE.max, description: 'with email' })
  @IsOptional() @IsString() @Length(PASSWORD_RULE.min, PASSWORD_RULE.max, { message: PASSWORD_RULE.message })
  password?: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], example: 'zh-CN', description: "the owner's language for mails; default zh-CN" })
  @IsOptional() @IsIn(['zh-CN', 'en'], { message: 'locale must be zh-CN or en' })
  locale?: 'zh-CN' | 'en';
}

export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'Keqiao Weaving No. 3', minLength: 2, maxLength: 120 }) @IsOptional() @IsString() @Length(2, 120) name?: string;
  @ApiPropertyOptional({ example: 'Shaoxing', maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) city?: string;
  @ApiPropertyOptional({ example: 'Zhejiang', maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) province?: string;
  @ApiPropertyOptional({ type: [String], example: ['OEKO-TEX'], description: 'factories only' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(CERTIFICATION, { each: true, message: 'each certification is 2-40 letters, digits, spaces or .-+' })
  certifications?: string[];
  @ApiPropertyOptional({ example: true, description: 'factories only' }) @IsOptional() @IsBoolean() autoAccept?: boolean;
}

export class CreateKeyDto {
  @ApiPropertyOptional({ example: 'ERP integration', maxLength: 60, description: 'what the key is for, to recognise it in the list' })
  @IsOptional() @IsString() @Length(1, 60)
  label?: string;
}
