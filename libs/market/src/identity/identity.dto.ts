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

/** Response shapes, for the OpenAPI document. */
export class OrganizationDto {
  @ApiProperty({ format: 'uuid', example: '6a1f5a8e-2c1d-4f0b-9a57-0c3b1d2e4f60' }) id!: string;
  @ApiProperty({ enum: ['brand', 'factory', 'operator'], example: 'factory' }) kind!: string;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) city!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zhejiang' }) province!: string | null;
  @ApiProperty({ type: [String], example: ['OEKO-TEX'] }) certifications!: string[];
  @ApiProperty({ example: false }) autoAccept!: boolean;
  @ApiProperty({ example: false, description: 'factories get offers only once an operator has verified them' }) verified!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SignupResponseDto {
  @ApiProperty({ type: OrganizationDto }) organization!: OrganizationDto;
  @ApiProperty({ example: 'clk_3q2-7wXb0cVh4QmZ1yq9cGk8Fh2rT5pLwA0sNdE6uYo', description: 'shown this once; only its SHA-256 is stored' }) apiKey!: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ERP integration' }) label!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ example: true, description: 'the key this request was made with' }) current!: boolean;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}

export class CreatedKeyDto {
  @ApiProperty({ type: ApiKeyDto }) key!: ApiKeyDto;
  @ApiProperty({ example: 'clk_3q2-7wXb0cVh4QmZ1yq9cGk8Fh2rT5pLwA0sNdE6uYo', description: 'shown this once; only its SHA-256 is stored' }) apiKey!: string;
}
