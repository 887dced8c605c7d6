import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { FactoryContacts } from '@cloudloom/contracts';
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

/** A mill's contacts: whoever answers brands about their work, by phone or WeChat. */
export class ContactsDto implements FactoryContacts {
  @ApiPropertyOptional({ example: '李伟', maxLength: 60, description: 'who answers' })
  @IsOptional() @IsString({ message: 'contacts.name must be text' }) @Length(1, 60, { message: 'contacts.name must be 1 to 60 characters' })
  name?: string;

  @ApiPropertyOptional({ example: '+86 138 0571 2345', description: 'digits, spaces or -, an optional + in front' })
  @IsOptional() @IsString({ message: 'contacts.phone must be text' }) @Matches(/^\+?[0-9][0-9 -]{4,22}[0-9]$/, { message: 'contacts.phone must be a phone number: 6 to 24 digits, spaces or -, with an optional + in front' })
  phone?: string;

  @ApiPropertyOptional({ example: 'keqiao_liwei', description: 'a WeChat ID (or the phone number WeChat is bound to)' })
  @IsOptional() @IsString({ message: 'contacts.wechat must be text' }) @Matches(/^[A-Za-z0-9_+-]{5,40}$/, { message: 'contacts.wechat must be a WeChat ID: 5 to 40 letters, digits, _ or -' })
  wechat?: string;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'Keqiao Weaving No. 3', minLength: 2, maxLength: 120 }) @IsOptional() @IsString() @Length(2, 120) name?: string;
  @ApiPropertyOptional({ example: 'Shaoxing', maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) city?: string;
  @ApiPropertyOptional({ example: 'Zhejiang', maxLength: 80 }) @IsOptional() @IsString() @Length(1, 80) province?: string;
  @ApiPropertyOptional({ type: [String], example: ['OEKO-TEX'], description: 'factories only' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @Matches(CERTIFICATION, { each: true, message: 'each certification is 2-40 letters, digits, spaces or .-+' })
  certifications?: string[];
  @ApiPropertyOptional({ example: true, description: 'factories only' }) @IsOptional() @IsBoolean() autoAccept?: boolean;
  @ApiPropertyOptional({ type: ContactsDto, description: 'factories only: replaces the contacts (a part left out is removed); shown only to brands whose work the factory has taken' })
  @IsOptional() @IsObject({ message: 'contacts must be an object with name, phone and wechat' }) @ValidateNested() @Type(() => ContactsDto)
  contacts?: ContactsDto;
  @ApiPropertyOptional({ example: 5, minimum: 0, maximum: 100, description: "brands only: counters at most this much (percent) above an offer's price are accepted without asking, within the order's agreed price and tolerance (default 0: only counters no dearer than the offer)" })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'counterTolerancePct must be a number with at most 2 decimals' })
  @Min(0, { message: 'counterTolerancePct must be 0 or more' }) @Max(100, { message: 'counterTolerancePct must not be more than 100' })
  counterTolerancePct?: number;
  @ApiPropertyOptional({ example: 2, minimum: 0, maximum: 60, description: "brands only: counters at most this many days after an offer's end date are accepted without asking (default 0)" })
  @IsOptional() @IsInt({ message: 'counterToleranceDays must be a whole number of days' }) @Min(0, { message: 'counterToleranceDays must be 0 or more' }) @Max(60, { message: 'counterToleranceDays must not be more than 60' })
  counterToleranceDays?: number;
}

export class CreateKeyDto {
  @ApiPropertyOptional({ example: 'ERP integration', maxLength: 60, description: 'what the key is for, to recognise it in the list' })
  @IsOptional() @IsString() @Length(1, 60)
  label?: string;
}
