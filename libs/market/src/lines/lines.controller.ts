import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import { CreateLineDto } from './lines.dto';
import { type LineView, LinesService } from './lines.service';

@ApiTags('factory')
@ApiBearerAuth()
@Roles('factory')
@Controller('lines')
export class LinesController {
  constructor(private readonly lines: LinesService) {}

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateLineDto): Promise<LineView> {
    return this.lines.create(principal, dto);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<{ items: LineView[] }> {
    return this.lines.list(principal);
  }
}
