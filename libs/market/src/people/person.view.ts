import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PersonRole } from '../identity/principal';
import type { Locale } from './people.repository';

export class PersonView {
  @ApiProperty({ format: 'uuid', example: '6b1f7c9e-2a44-4a6b-9a52-6f0f1e2d3c4b' }) id!: string;
  @ApiProperty({ example: 'zhang.min@keqiao-weaving.cn' }) email!: string;
  @ApiProperty({ enum: ['owner', 'merchandiser', 'dispatcher', 'viewer', 'operator'], example: 'dispatcher' }) role!: PersonRole;
  @ApiProperty({ enum: ['zh-CN', 'en'], example: 'zh-CN' }) locale!: Locale;
  @ApiProperty({ type: [String], example: ['offer.created'] }) notify!: string[];
  @ApiProperty({ enum: ['invited', 'active'], example: 'active', description: 'invited: the invitation has not been accepted yet' }) status!: 'invited' | 'active';
  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z' }) createdAt!: string;
}

export class PersonListView {
  @ApiProperty({ type: [PersonView] }) items!: PersonView[];
}

export class SessionView {
  @ApiProperty({ type: PersonView }) person!: PersonView;
  @ApiProperty({ enum: ['brand', 'factory', 'operator'], example: 'factory' }) kind!: 'brand' | 'factory' | 'operator';
  @ApiProperty({ example: 'Zk3n0l1yq9cGk8Fh2rT5pLwA0sNdE6uYoq2-7wXb0cV', description: 'send it as X-CSRF-Token with every changing request made with this session' }) csrfToken!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T20:00:00.000Z' }) expiresAt!: string;
}

export class CsrfView {
  @ApiProperty({ example: 'Zk3n0l1yq9cGk8Fh2rT5pLwA0sNdE6uYoq2-7wXb0cV' }) csrfToken!: string;
}

export class TotpEnrolmentView {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', description: 'shown this once: add it to an authenticator app' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/cloudloom:ops%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=cloudloom' }) uri!: string;
}

export class AcceptedInvitationView {
  @ApiProperty({ type: PersonView }) person!: PersonView;
  @ApiPropertyOptional({ type: TotpEnrolmentView, description: 'operators only: their second factor, shown this once; the first sign-in with a code from it completes the enrolment' }) totp?: TotpEnrolmentView;
}

export class CurrentSessionView {
  @ApiProperty({ enum: ['brand', 'factory', 'operator'], example: 'factory' }) kind!: 'brand' | 'factory' | 'operator';
  @ApiProperty({ type: PersonView, nullable: true }) person!: PersonView | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zk3n0l1yq9cGk8Fh2rT5pLwA0sNdE6uYoq2-7wXb0cV' }) csrfToken!: string | null;
}
