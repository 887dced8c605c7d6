import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

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
