import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CreateKeyDto, SignupDto, UpdateMeDto } from './identity.dto';
import { IdentityService } from './identity.service';
import { ApiKeyListView, CreatedKeyView, OrganizationView, SignupView } from './identity.view';
import { CurrentPrincipal, EVERYONE, People, type Principal, Public, Roles } from './principal';

@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  /** The API key is in this response only; it is stored hashed. */
  @Public()
  @Post('signup')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a brand or a factory', description: 'Answers the organization and its first API key, shown this once. Factories start unverified.' })
  @ApiCreatedResponse({ type: SignupView })
  signup(@Body() dto: SignupDto): Promise<SignupView> {
    return this.identity.signup(dto);
  }

  @Roles('brand', 'factory', 'operator')
  @People(...EVERYONE)
  @Get('me')
  @ApiOperation({ summary: 'The calling organization' })
  @ApiOkResponse({ type: OrganizationView })
  me(@CurrentPrincipal() principal: Principal): Promise<OrganizationView> {
    return this.identity.me(principal);
  }

  @Roles('brand', 'factory')
  @People('owner')
  @Patch('me')
  @ApiOperation({ summary: 'Change the profile', description: '`certifications`, `autoAccept` and `contacts` apply to factories only; brands see a factory\'s contacts once it has taken their work (`GET /counterparties`).' })
  // Examples named after the kind of organization that sends them (a brand has no autoAccept).
  @ApiBody({
    type: UpdateMeDto,
    examples: {
      brand: { summary: 'a brand moves', value: { name: 'Canton Studio', city: 'Guangzhou', province: 'Guangdong' } },
      factory: { summary: 'a factory adds a certification and its contacts', value: { city: 'Shaoxing', province: 'Zhejiang', certifications: ['OEKO-TEX', 'GRS'], autoAccept: false, contacts: { name: '李伟', phone: '+86 138 0571 2345', wechat: 'keqiao_liwei' } } },
    },
  })
  @ApiOkResponse({ type: OrganizationView })
  updateMe(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateMeDto): Promise<OrganizationView> {
    return this.identity.updateMe(principal, dto);
  }

  @Roles('brand', 'factory')
  @People('owner')
  @Get('me/keys')
  @ApiOperation({ summary: 'The organization\'s API keys', description: 'Ids, labels and dates; never the secrets, which are not stored.' })
  @ApiOkResponse({ type: ApiKeyListView })
  listKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyListView> {
    return this.identity.listKeys(principal);
  }

  @Roles('brand', 'factory')
  @People('owner')
  @Post('me/keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API key (rotation)', description: 'The key is in this answer only. Rotate by creating a key, switching to it, then revoking the old one.' })
  @ApiCreatedResponse({ type: CreatedKeyView })
  @ApiProblems(409)
  createKey(@CurrentPrincipal() principal: Principal, @Body() dto: CreateKeyDto): Promise<CreatedKeyView> {
    return this.identity.createKey(principal, dto);
  }

  @Roles('brand', 'factory')
  @People('owner')
  @Delete('me/keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key', description: 'Effective on the next request. The only active key cannot be revoked (409).' })
  @ApiNoContentResponse({ description: 'revoked (or already revoked)' })
  @ApiProblems(409)
  async revokeKey(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.identity.revokeKey(principal, id);
  }
}
