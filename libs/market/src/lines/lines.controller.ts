import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import { AvailabilityDto, CreateLineDto, UpdateLineDto } from './lines.dto';
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

  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateLineDto): Promise<LineView> {
    return this.lines.update(principal, id, dto);
  }

  @Put(':id/availability')
  availability(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: AvailabilityDto): ReturnType<LinesService['setAvailability']> {
    return this.lines.setAvailability(principal, id, dto);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<{ items: LineView[] }> {
    return this.lines.list(principal);
  }
}
