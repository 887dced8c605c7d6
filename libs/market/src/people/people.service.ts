import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, generateURI } from 'otplib';
import { type AppConfig, APP_CONFIG, DomainError, invalid, notFound } from '@cloudloom/platform';
import { EVENT_TYPES } from '@cloudloom/contracts';
import type { EntityManager } from 'typeorm';
import { isUuid } from '../core/ids';
import { PERSON_ROLES_OF, type PersonRole, type Principal } from '../identity/principal';
import { Mailer } from '../mail/mailer';
import { invitationMail } from '../mail/templates';
import type { InvitePersonDto, UpdatePersonDto, UpdateSelfDto } from './people.dto';
import { type Locale, PeopleRepository, type PersonRow } from './people.repository';
import { hashPassword, hashToken, newToken } from './secrets';
import { consoleLink } from './sessions.service';
import type { AcceptedInvitationView, PersonListView, PersonView } from './person.view';

/** An invitation link works this long, once. */
export const INVITATION_TTL_HOURS = 72;
/** Most people in one organization: a mill's owner, shifts of dispatchers, clerks; more is a sign of abuse. */
export const MAX_PEOPLE = 200;

export function personView(p: PersonRow): PersonView {
  return { id: p.id, email: p.email, role: p.role, locale: p.locale, notify: p.notify, status: p.passwordHash === null ? 'invited' : 'active', createdAt: p.createdAt.toISOString() };
}

const organizationOf = (principal: Principal): string | null => (principal.kind === 'operator' ? null : principal.organizationId);

/** People of an organization: the owner's invitations and changes, and each person's own settings. */
@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The owner an organization signs up with, in the signup's own transaction. */
  async createOwner(m: EntityManager, organizationId: string, kind: 'brand' | 'factory', email: string, password: string, locale: Locale): Promise<PersonRow> {
    const person = await this.people.insert(m, { organizationId, kind, email: email.trim().toLowerCase(), role: 'owner', locale, passwordHash: await hashPassword(password) });
    if (!person) throw invalid('email', 'this address already has an account; sign in, or use another address');
    return person;
  }

  async list(principal: Principal): Promise<PersonListView> {
    return { items: (await this.people.ofOrganization(principal.kind, organizationOf(principal))).map(personView) };
  }

  /** Invites a person by mail: their account waits, without a password, until the link is used. */
  async invite(principal: Principal, dto: InvitePersonDto, organizationName: string): Promise<PersonView> {
    this.checkRole(principal, dto.role);
    const token = newToken();
    const person = await this.people.transaction(async (m) => {
      // The owners' rows serialise invitations of one organization, so the cap holds under races.
      await this.people.lockOwners(m, principal.kind, organizationOf(principal));
      if ((await this.people.ofOrganization(principal.kind, organizationOf(principal))).length >= MAX_PEOPLE) throw new DomainError('CONFLICT', `An organization has at most ${MAX_PEOPLE} people`);
      const made = await this.people.insert(m, { organizationId: organizationOf(principal), kind: principal.kind, email: dto.email.trim().toLowerCase(), role: dto.role, locale: dto.locale ?? 'zh-CN', passwordHash: null });
      if (!made) throw invalid('email', 'this address already has an account');
      await this.people.insertToken(m, made.id, 'invitation', hashToken(token), new Date(Date.now() + INVITATION_TTL_HOURS * 3_600_000));
      return made;
    });
    this.mailer.sendLater(invitationMail(person.email, person.locale, organizationName, person.role, consoleLink(this.config, 'accept', token), INVITATION_TTL_HOURS), 'invitation');
    return personView(person);
  }

  /**
   * Sets the invited person's password with the invitation's token (once). An operator also
   * gets the TOTP secret to put in an authenticator app, shown this once; their first sign-in
   * with a code from it completes the enrolment, and no operator session exists without one.
   */
  async acceptInvitation(token: string, password: string): Promise<AcceptedInvitationView> {
    return this.people.transaction(async (m) => {
      const personId = await this.people.useToken(m, 'invitation', hashToken(token));
      if (!personId) throw invalid('token', 'this invitation is unknown, used or expired; ask for a new one');
      // Hashed only once the token is known good: a stranger's guesses cost no argon2 time.
      const passwordHash = await hashPassword(password);
      const person = (await this.people.byId(personId, m))!;
      const totpSecret = person.kind === 'operator' ? generateSecret() : undefined;
      await this.people.update(m, personId, { passwordHash, totpSecret });
      const accepted = (await this.people.byId(personId, m))!;
      return {
        person: personView(accepted),
        ...(totpSecret ? { totp: { secret: totpSecret, uri: generateURI({ issuer: 'cloudloom', label: person.email, secret: totpSecret }) } } : {}),
      };
    });
  }

  /** The owner changes a person's role; the last owner stays one (the organization would have nobody to manage it). */
  async update(principal: Principal, id: string, dto: UpdatePersonDto): Promise<PersonView> {
    this.checkRole(principal, dto.role);
    return this.people.transaction(async (m) => {
      const owners = await this.people.lockOwners(m, principal.kind, organizationOf(principal));
      const person = isUuid(id) ? await this.people.lockInOrganization(m, principal.kind, organizationOf(principal), id) : null;
      if (!person) throw notFound('Person');
      if (person.role === 'owner' && dto.role !== 'owner' && owners.length <= 1) throw new DomainError('CONFLICT', 'This is the only owner: make another person owner first');
      await this.people.update(m, id, { role: dto.role });
      return personView((await this.people.byId(id, m))!);
    });
  }

  /** Removes a person from the organization; their sessions end with the row. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.people.transaction(async (m) => {
      const owners = await this.people.lockOwners(m, principal.kind, organizationOf(principal));
      const person = isUuid(id) ? await this.people.lockInOrganization(m, principal.kind, organizationOf(principal), id) : null;
      if (!person) throw notFound('Person');
      if (['owner', 'operator'].includes(person.role) && owners.length <= 1) throw new DomainError('CONFLICT', 'This is the only owner: make another person owner first');
      await this.people.remove(m, id);
    });
  }

  async self(principal: Principal): Promise<PersonView> {
    const person = principal.person ? await this.people.byId(principal.person.id) : null;
    if (!person) throw notFound('Person');
    return personView(person);
  }

  /** A person's own settings: language, and which events they want by mail. */
  async updateSelf(principal: Principal, dto: UpdateSelfDto): Promise<PersonView> {
    if (!principal.person) throw new DomainError('NOT_FOUND', 'Signed in with an API key: settings belong to a person (sign in with email and password)');
    const unknown = (dto.notify ?? []).filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0) throw invalid('notify', `unknown event types: ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
    await this.people.update(this.people.runner(), principal.person.id, { locale: dto.locale, notify: dto.notify ? [...new Set(dto.notify)] : undefined });
    return this.self(principal);
  }

  private checkRole(principal: Principal, role: PersonRole): void {
    if (!PERSON_ROLES_OF[principal.kind].includes(role)) throw invalid('role', `a ${principal.kind === 'operator' ? 'platform' : principal.kind} person is one of: ${PERSON_ROLES_OF[principal.kind].join(', ')}`);
  }
}
