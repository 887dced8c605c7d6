import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type AppConfig, APP_CONFIG, ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Public, Roles } from '../identity/principal';
import { PasswordResetRequestDto, SignInDto, TokenPasswordDto } from './people.dto';
import { PeopleService, personView } from './people.service';
import { PeopleRepository } from './people.repository';
import { AcceptedInvitationView, CurrentSessionView, SessionView } from './person.view';
import { csrfTokenOf } from './secrets';
import { sessionCookie, sessionTokenOf } from './session-cookie';
import { SessionsService, SignInLocked } from './sessions.service';

@ApiTags('people')
@Controller()
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly people: PeopleService,
    private readonly repository: PeopleRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('sessions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign in with email and password', description: 'Sets the httpOnly session cookie and answers the CSRF token to send as X-CSRF-Token with changing requests. Operators add totpCode. Repeated failures for one account from one address wait longer each time (docs/security.md).' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiProblems(401)
  async signIn(@Body() dto: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    try {
      const signed = await this.sessions.signIn(dto.email, dto.password, dto.totpCode, req.ip ?? req.socket.remoteAddress ?? 'unknown');
      res.setHeader('Set-Cookie', sessionCookie(this.config, signed.token, this.config.people.sessionTtlHours * 3600));
      return { person: personView(signed.person), kind: signed.person.kind, csrfToken: signed.csrfToken, expiresAt: signed.expiresAt.toISOString() };
    } catch (error) {
      if (error instanceof SignInLocked) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Roles('brand', 'factory', 'operator')
  @People(...EVERYONE)
  @Get('sessions/current')
  @ApiOperation({ summary: 'Who is calling', description: 'With a session cookie: the person and the CSRF token of the session (a console reloading its page asks here). With an API key: person and csrfToken are null.' })
  @ApiOkResponse({ type: CurrentSessionView })
  async current(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<CurrentSessionView> {
    const token = principal.person ? sessionTokenOf(req) : undefined;
    const person = principal.person ? await this.repository.byId(principal.person.id) : null;
    return { kind: principal.kind, person: person ? personView(person) : null, csrfToken: token ? csrfTokenOf(token) : null };
  }

  @Roles('brand', 'factory', 'operator')
  @People(...EVERYONE)
  @Delete('sessions')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out', description: 'Ends the session on the server (the cookie is worthless from now on) and clears the cookie. With an API key there is no session: nothing changes.' })
  @ApiNoContentResponse({ description: 'signed out' })
  async signOut(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.signOut(principal);
    if (principal.person) res.setHeader('Set-Cookie', sessionCookie(this.config, '', 0));
  }

  @Public()
  @Post('password-resets')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ask for a password reset link by mail', description: 'Answers 204 whether or not the address has an account. The link works once, for 30 minutes.' })
  @ApiNoContentResponse({ description: 'a mail is on its way if the address has an account' })
  async requestReset(@Body() dto: PasswordResetRequestDto): Promise<void> {
    await this.sessions.requestReset(dto.email);
  }

  @Public()
  @Post('password-resets/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the reset link\'s token', description: 'Works once; every session of the person ends.' })
  @ApiNoContentResponse({ description: 'password changed' })
  async reset(@Body() dto: TokenPasswordDto): Promise<void> {
    await this.sessions.resetPassword(dto.token, dto.password);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(201)
  @ApiOperation({ summary: 'Accept an invitation: set a password with the invitation\'s token', description: 'Works once. An operator also receives the TOTP secret for an authenticator app, shown this once.' })
  @ApiCreatedResponse({ type: AcceptedInvitationView })
  accept(@Body() dto: TokenPasswordDto): Promise<AcceptedInvitationView> {
    return this.people.acceptInvitation(dto.token, dto.password);
  }
}
