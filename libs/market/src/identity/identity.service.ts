import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, DomainError } from '@cloudloom/platform';
import { ApiKeyEntity, OrganizationEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { generateApiKey, hashApiKey, sameKey } from './api-key';
import type { SignupDto, UpdateMeDto } from './identity.dto';
import { OPERATOR_ORGANIZATION_ID, type Principal } from './principal';

export interface OrganizationView {
  id: string;
  kind: OrganizationEntity['kind'];
  name: string;
  city: string | null;
  province: string | null;
  certifications: string[];
  autoAccept: boolean;
  verified: boolean;
  createdAt: string;
}

export function organizationView(org: OrganizationEntity): OrganizationView {
  return {
    id: org.id,
    kind: org.kind,
    name: org.name,
    city: org.city,
    province: org.province,
    certifications: org.certifications,
    autoAccept: org.autoAccept,
    verified: org.verified,
    createdAt: org.createdAt.toISOString(),
  };
}

@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(dto: SignupDto): Promise<{ organization: OrganizationView; apiKey: string }> {
    if (dto.kind === 'brand' && (dto.certifications !== undefined || dto.autoAccept !== undefined)) {
      const field = dto.certifications !== undefined ? 'certifications' : 'autoAccept';
      throw new DomainError('VALIDATION_FAILED', `${field} applies to factories only`, [{ field, message: 'applies to factories only' }]);
    }
    const apiKey = generateApiKey();
    const organization = await this.db.transaction(async (m) => {
      const org = await m.save(
        m.create(OrganizationEntity, {
          kind: dto.kind,
          name: dto.name,
          city: dto.city ?? null,
          province: dto.province ?? null,
          certifications: dto.certifications ?? [],
          autoAccept: dto.autoAccept ?? false,
          // Brands need no verification; factories do, unless the development flag says otherwise.
          verified: dto.kind === 'brand' || this.config.autoVerifyFactories,
        }),
      );
      await m.insert(ApiKeyEntity, { organizationId: org.id, keyHash: hashApiKey(apiKey), label: 'signup' });
      return org;
    });
    return { organization: organizationView(organization), apiKey };
  }

  async resolve(key: string): Promise<Principal | undefined> {
    if (sameKey(key, this.config.operatorApiKey)) return { organizationId: OPERATOR_ORGANIZATION_ID, kind: 'operator' };
    const row = await this.db
      .createQueryBuilder(ApiKeyEntity, 'k')
      .innerJoin(OrganizationEntity, 'o', 'o.id = k.organizationId')
      .select(['o.id AS id', 'o.kind AS kind'])
      .where('k.keyHash = :hash AND k.revokedAt IS NULL AND o.active', { hash: hashApiKey(key) })
      .getRawOne<{ id: string; kind: Principal['kind'] }>();
    return row ? { organizationId: row.id, kind: row.kind } : undefined;
  }

  async me(principal: Principal): Promise<OrganizationView> {
    if (principal.kind === 'operator') {
      return { id: OPERATOR_ORGANIZATION_ID, kind: 'operator', name: 'Platform operator', city: null, province: null, certifications: [], autoAccept: false, verified: true, createdAt: new Date(0).toISOString() };
    }
    const org = await this.db.manager.findOneByOrFail(OrganizationEntity, { id: principal.organizationId });
    return organizationView(org);
  }

  async updateMe(principal: Principal, dto: UpdateMeDto): Promise<OrganizationView> {
    if (principal.kind === 'operator') throw new DomainError('VALIDATION_FAILED', 'the operator profile comes from the environment');
    if (principal.kind !== 'factory' && (dto.autoAccept !== undefined || dto.certifications !== undefined)) {
      const field = dto.autoAccept !== undefined ? 'autoAccept' : 'certifications';
      throw new DomainError('VALIDATION_FAILED', `${field} applies to factories only`, [{ field, message: 'applies to factories only' }]);
    }
    const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length > 0) await this.db.manager.update(OrganizationEntity, { id: principal.organizationId }, changes);
    return this.me(principal);
  }
}
