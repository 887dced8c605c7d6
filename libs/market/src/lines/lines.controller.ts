import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { AvailabilityDto, CreateLineDto, LINE_BODY_EXAMPLES, LINE_CHANGE_EXAMPLES, UpdateLineDto } from './lines.dto';
import { AvailabilityView, LINE_SCHEMA, LineListView, type LineView } from './line.view';
import { LinesService } from './lines.service';
import { CalendarQuery, LineCalendar, LineCalendarView } from './calendar';

@ApiTags('factory')
@Roles('factory')
@Controller('lines')
export class LinesController {
  constructor(private readonly lines: LinesService, private readonly calendars: LineCalendar) {}

  @People(...EVERYONE)
  @Get(':id/calendar')
  @ApiOperation({
    summary: "A line's calendar",
    description: 'Per day over a range (today and the next 30 days by default, at most 92): capacity, booked with the offers and work on it, free, closed.',
  })
  @ApiOkResponse({ type: LineCalendarView })
  calendar(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: CalendarQuery): Promise<LineCalendarView> {
    return this.calendars.of(principal, id, query);
  }

  @People('owner', 'dispatcher')
  @Post()
  @ApiOperation({ summary: 'Publish a production line', description: 'Opens its capacity ledger over the horizon; unmatched orders it can make are tried again.' })
  @ApiBody({ type: CreateLineDto, examples: LINE_BODY_EXAMPLES })
  @ApiCreatedResponse({ schema: LINE_SCHEMA })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateLineDto): Promise<LineView> {
    return this.lines.create(principal, dto);
  }

  @People('owner', 'dispatcher')
  @Patch(':id')
  @ApiOperation({ summary: 'Change a line', description: 'Capacity moves from today on; allocations that no longer fit are re-matched; running production never moves (409).' })
  @ApiBody({ type: UpdateLineDto, examples: LINE_CHANGE_EXAMPLES })
  @ApiOkResponse({ schema: LINE_SCHEMA })
  @ApiProblems(409)
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateLineDto): Promise<LineView> {
    return this.lines.update(principal, id, dto);
  }

  @People('owner', 'dispatcher')
  @Put(':id/availability')
  @ApiOperation({ summary: "Set a share of the line's capacity per date", description: 'Holidays, maintenance: 0 closes the day, 1 restores it.' })
  @ApiOkResponse({ type: AvailabilityView })
  @ApiProblems(409)
  availability(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: AvailabilityDto): Promise<AvailabilityView> {
    return this.lines.setAvailability(principal, id, dto);
  }

  @People(...EVERYONE)
  @Get()
  @ApiOperation({ summary: "The factory's lines" })
  @ApiOkResponse({ type: LineListView })
  list(@CurrentPrincipal() principal: Principal): Promise<LineListView> {
    return this.lines.list(principal);
  }
}
