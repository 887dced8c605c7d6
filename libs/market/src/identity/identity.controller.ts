import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SignupDto, UpdateMeDto } from './identity.dto';
import { IdentityService, type OrganizationView } from './identity.service';
import { CurrentPrincipal, type Principal, Public } from './principal';

@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  /** The API key is in this response only; it is stored hashed. */
  @Public()
  @Post('signup')
  @HttpCode(201)
  signup(@Body() dto: SignupDto): Promise<{ organization: OrganizationView; apiKey: string }> {
    return this.identity.signup(dto);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<OrganizationView> {
    return this.identity.me(principal);
  }

  @ApiBearerAuth()
  @Patch('me')
  updateMe(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateMeDto): Promise<OrganizationView> {
    return this.identity.updateMe(principal, dto);
  }
}
