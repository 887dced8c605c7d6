import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PersonView } from '../people/person.view';
import type { OrganizationKind } from '@cloudloom/persistence';
import { EXAMPLE } from '../core/openapi-examples';
import type { FactoryContacts, Organization } from '@cloudloom/contracts';

export class ContactsView implements FactoryContacts {
  @ApiPropertyOptional({ example: '李伟' }) name?: string;
  @ApiPropertyOptional({ example: '+86 138 0571 2345' }) phone?: string;
  @ApiPropertyOptional({ example: 'keqiao_liwei' }) wechat?: string;
}

export class OrganizationView implements Organization {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) id!: string;
  @ApiProperty({ enum: ['brand', 'factory', 'operator'], example: 'factory' }) kind!: OrganizationKind;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) city!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zhejiang' }) province!: string | null;
  @ApiProperty({ type: [String], example: ['OEKO-TEX'] }) certifications!: string[];
  @ApiProperty({ example: false }) autoAccept!: boolean;
  @ApiProperty({ example: false, description: 'factories get offers only once an operator has verified them' }) verified!: boolean;
  @ApiPropertyOptional({ type: ContactsView, description: 'factories: how brands whose work the factory has taken reach it' }) contacts?: ContactsView;
  @ApiPropertyOptional({ example: 5, description: "brands: a factory's counter at most this much (percent) above the offer's price is accepted without asking, if the order's agreed price allows it (docs/terms.md)" }) counterTolerancePct?: number;
  @ApiPropertyOptional({ example: 2, description: "brands: ... and at most this many days after the offer's end date" }) counterToleranceDays?: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
}

export class SignupView {
  @ApiProperty({ type: OrganizationView }) organization!: OrganizationView;
  @ApiProperty({ example: 'clk_3q2-7wXb0cVh4QmZ1yq9cGk8Fh2rT5pLwA0sNdE6uYo', description: 'shown this once; only its SHA-256 is stored' }) apiKey!: string;
  @ApiPropertyOptional({ type: PersonView, description: 'when the signup carried email and password: the owner, who can sign in now' }) owner?: PersonView;
}

export class ApiKeyView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.keyId }) id!: string;
  @ApiProperty({ example: 'ERP integration' }) label!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) revokedAt!: string | null;
  @ApiProperty({ example: true, description: 'the key this request was made with' }) current!: boolean;
}

export class ApiKeyListView {
  @ApiProperty({ type: [ApiKeyView] }) items!: ApiKeyView[];
}

export class CreatedKeyView {
  @ApiProperty({ type: ApiKeyView }) key!: ApiKeyView;
  @ApiProperty({ example: 'clk_3q2-7wXb0cVh4QmZ1yq9cGk8Fh2rT5pLwA0sNdE6uYo', description: 'shown this once; only its SHA-256 is stored' }) apiKey!: string;
}
