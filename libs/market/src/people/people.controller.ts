import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { IdentityService } from '../identity/identity.service';
import { CurrentPrincipal, EVERYONE, People, PeopleOnly, type Principal, Roles } from '../identity/principal';
import { InvitePersonDto, UpdatePersonDto, UpdateSelfDto } from './people.dto';
import { PeopleService } from './people.service';
import { PersonListView, PersonView } from './person.view';

/** Managing people is the owner's (an organization's API key acts as its owner); each person keeps their own settings. */
@ApiTags('people')
@Controller('me')
@Roles('brand', 'factory', 'operator')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly identity: IdentityService,
  ) {}

  @People('owner', 'operator')
  @Get('people')
  @ApiOperation({ summary: 'The organization\'s people', description: 'Invited people show status invited until they set their password.' })
  @ApiOkResponse({ type: PersonListView })
  list(@CurrentPrincipal() principal: Principal): Promise<PersonListView> {
    return this.people.list(principal);
  }

  @People('owner', 'operator')
  @Post('people')
  @HttpCode(201)
  @ApiOperation({ summary: 'Invite a person by email', description: 'Mails a link (single use, 72 h) where they set their password, in their language (locale, default zh-CN).' })
  @ApiCreatedResponse({ type: PersonView })
  @ApiProblems(409)
  async invite(@CurrentPrincipal() principal: Principal, @Body() dto: InvitePersonDto): Promise<PersonView> {
    const organization = principal.kind === 'operator' ? 'cloudloom' : (await this.identity.me(principal)).name;
    return this.people.invite(principal, dto, organization);
  }

  @People('owner', 'operator')
  @Patch('people/:id')
  @ApiOperation({ summary: 'Change a person\'s role', description: 'The only owner stays one (409).' })
  @ApiOkResponse({ type: PersonView })
  @ApiProblems(409)
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdatePersonDto): Promise<PersonView> {
    return this.people.update(principal, id, dto);
  }

  @People('owner', 'operator')
  @Delete('people/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a person', description: 'Their sessions end at once. The only owner cannot be removed (409).' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiProblems(409)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.people.remove(principal, id);
  }

  @People(...EVERYONE)
  @PeopleOnly()
  @Get('person')
  @ApiOperation({ summary: 'The signed-in person', description: 'Only with a session: an API key is no person.' })
  @ApiOkResponse({ type: PersonView })
  self(@CurrentPrincipal() principal: Principal): Promise<PersonView> {
    return this.people.self(principal);
  }

  @People(...EVERYONE)
  @PeopleOnly()
  @Patch('person')
  @ApiOperation({ summary: 'The signed-in person\'s settings', description: '`locale` (zh-CN or en) for their mails; `notify`: the event types they want by mail. A viewer may change their own settings too: they change nothing of the market.' })
  @ApiOkResponse({ type: PersonView })
  updateSelf(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateSelfDto): Promise<PersonView> {
    return this.people.updateSelf(principal, dto);
  }
}
