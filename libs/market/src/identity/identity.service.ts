import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, DomainError, notFound } from '@cloudloom/platform';
import { ApiKeyEntity, OrganizationEntity } from '@cloudloom/persistence';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import { generateApiKey, hashApiKey, sameKey } from './api-key';
import type { CreateKeyDto, SignupDto, UpdateMeDto } from './identity.dto';
import type { ApiKeyListView, ApiKeyView, CreatedKeyView, OrganizationView, SignupView } from './identity.view';
import { ApiKeyCache } from './key-cache';
import { OPERATOR_ORGANIZATION_ID, type Principal } from './principal';
import { PeopleService, personView } from '../people/people.service';

/** Enough for rotation with overlap and a few integrations; more is a sign of keys being sprayed around. */
export const MAX_ACTIVE_KEYS = 10;

function apiKeyView(key: ApiKeyEntity, principal: Principal): ApiKeyView {
  return { id: key.id, label: key.label, createdAt: key.createdAt.toISOString(), revokedAt: key.revokedAt?.toISOString() ?? null, current: key.id === principal.keyId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    ...(org.kind === 'factory' ? { contacts: org.contacts } : {}),
    ...(org.kind === 'brand' ? { counterTolerancePct: org.counterTolerancePct, counterToleranceDays: org.counterToleranceDays } : {}),
    createdAt: org.createdAt.toISOString(),
  };
}

@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly people: PeopleService,
    private readonly keys: ApiKeyCache,
  ) {}

  async signup(dto: SignupDto): Promise<SignupView> {
    if (dto.kind === 'brand' && (dto.certifications !== undefined || dto.autoAccept !== undefined)) {
      const field = dto.certifications !== undefined ? 'certifications' : 'autoAccept';
      throw new DomainError('VALIDATION_FAILED', `${field} applies to factories only`, [{ field, message: 'applies to factories only' }]);
    }
    if ((dto.email === undefined) !== (dto.password === undefined) || (dto.locale !== undefined && dto.email === undefined)) {
      const field = dto.email === undefined ? 'email' : 'password';
      throw new DomainError('VALIDATION_FAILED', `${field}: the owner needs both email and password`, [{ field, message: 'the owner needs both email and password' }]);
    }
    const { email, password } = dto;
    const apiKey = generateApiKey();
    const { organization, owner } = await this.db.transaction(async (m) => {
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
      const person = email !== undefined && password !== undefined ? await this.people.createOwner(m, org.id, dto.kind, email, password, dto.locale ?? 'zh-CN') : undefined;
      return { organization: org, owner: person };
    });
    return { organization: organizationView(organization), apiKey, ...(owner ? { owner: personView(owner) } : {}) };
  }

  async resolve(key: string): Promise<Principal | undefined> {
    if (sameKey(key, this.config.operatorApiKey)) return { organizationId: OPERATOR_ORGANIZATION_ID, kind: 'operator' };
    const hash = hashApiKey(key);
    // Every request runs this: a key that resolved lately is answered from memory, which forgets
    // it as soon as the key or its organization changes (key-cache.ts).
    return this.keys.resolve(hash, async () => {
      // Plain SQL, since building it with the query builder cost more than running it.
      const [row] = await this.db.query<{ id: string; kind: Principal['kind']; keyId: string }[]>(
        `SELECT o.id, o.kind, k.id AS "keyId" FROM api_keys k JOIN organizations o ON o.id = k.organization_id
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND o.active`,
        [hash],
      );
      return row ? { organizationId: row.id, kind: row.kind, keyId: row.keyId } : undefined;
    });
  }

  async listKeys(principal: Principal): Promise<ApiKeyListView> {
    const keys = await this.db.manager.find(ApiKeyEntity, { where: { organizationId: principal.organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { items: keys.map((k) => apiKeyView(k, principal)) };
  }

  /** A new key for rotation: use it, then revoke the old one. The secret is in this answer only. */
  async createKey(principal: Principal, dto: CreateKeyDto): Promise<CreatedKeyView> {
    const apiKey = generateApiKey();
    const key = await this.db.transaction(async (m) => {
      await this.lockOrganization(m, principal);
      const active = await m.count(ApiKeyEntity, { where: { organizationId: principal.organizationId, revokedAt: IsNull() } });
      if (active >= MAX_ACTIVE_KEYS) {
        throw new DomainError('CONFLICT', `An organization has at most ${MAX_ACTIVE_KEYS} active keys: revoke one first`);
      }
      return m.save(m.create(ApiKeyEntity, { organizationId: principal.organizationId, keyHash: hashApiKey(apiKey), label: dto.label ?? 'api', revokedAt: null }));
    });
    return { key: apiKeyView(key, principal), apiKey };
  }

  /**
   * Revokes one of the caller's keys, at once: the next request with it is a 401. The last
   * active key cannot be revoked (the organization would lock itself out); revoking an
   * already revoked key changes nothing.
   */
  async revokeKey(principal: Principal, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await this.lockOrganization(m, principal);
      const key = UUID.test(id) ? await m.findOneBy(ApiKeyEntity, { id, organizationId: principal.organizationId }) : null;
      if (!key) throw notFound('Key');
      if (key.revokedAt) return;
      const active = await m.count(ApiKeyEntity, { where: { organizationId: principal.organizationId, revokedAt: IsNull() } });
      if (active <= 1) throw new DomainError('CONFLICT', 'This is the only active key: create a new key before revoking it');
      await m.update(ApiKeyEntity, { id }, { revokedAt: new Date() });
    });
    // Every process hears of it from the database; this one does not wait to.
    this.keys.forgetAll();
  }

  /** Serialises key changes of one organization, so two revocations cannot remove its last key. */
  private async lockOrganization(m: EntityManager, principal: Principal): Promise<void> {
    await m.query('SELECT id FROM organizations WHERE id = $1 FOR UPDATE', [principal.organizationId]);
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
    if (principal.kind !== 'factory' && (dto.autoAccept !== undefined || dto.certifications !== undefined || dto.contacts !== undefined)) {
      const field = dto.autoAccept !== undefined ? 'autoAccept' : dto.certifications !== undefined ? 'certifications' : 'contacts';
      throw new DomainError('VALIDATION_FAILED', `${field} applies to factories only`, [{ field, message: 'applies to factories only' }]);
    }
    if (principal.kind !== 'brand' && (dto.counterTolerancePct !== undefined || dto.counterToleranceDays !== undefined)) {
      const field = dto.counterTolerancePct !== undefined ? 'counterTolerancePct' : 'counterToleranceDays';
      throw new DomainError('VALIDATION_FAILED', `${field} applies to brands only`, [{ field, message: 'applies to brands only: a brand\'s standing tolerance for counteroffers' }]);
    }
    const { contacts, ...rest } = dto;
    const changes: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    // Stored as the plain parts given: a part left out is removed.
    if (contacts) changes.contacts = Object.fromEntries(Object.entries({ name: contacts.name?.trim(), phone: contacts.phone, wechat: contacts.wechat }).filter(([, v]) => v));
    if (Object.keys(changes).length > 0) await this.db.manager.update(OrganizationEntity, { id: principal.organizationId }, changes);
    return this.me(principal);
  }
}
