import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, OptionalPrincipal, People, type Principal, PublicOrKey, Roles } from '../identity/principal';
import { CreateLotDto, CreateLotsDto, ListLotsQuery } from './lots.dto';
import type { Lot, LotList, LotResolution } from '@cloudloom/contracts';
import { LotListView, LotResolutionView, LotsCreatedView, LotView } from './lots.view';
import { LotsService } from './lots.service';
import { LabelsService } from './labels.service';
import { ResolutionService } from './resolution.service';

@ApiTags('lots')
@Controller('allocations')
export class LotsController {
  constructor(
    private readonly lots: LotsService,
    private readonly labels: LabelsService,
  ) {}

  @Post(':id/lots')
  @Roles('factory')
  @People('owner', 'dispatcher')
  @ApiOperation({ summary: 'Record a lot (roll, batch, bundle or carton) on an accepted allocation', description: 'Counted lots add up to the allocation’s production and drive it as a progress report does: never backwards, never above the allocation.' })
  @ApiCreatedResponse({ type: LotView })
  @ApiProblems(409)
  async create(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: CreateLotDto): Promise<Lot> {
    const [lot] = await this.lots.record(principal, id, [dto], (_, name) => name);
    return lot!;
  }

  @Post(':id/lots/batch')
  @Roles('factory')
  @People('owner', 'dispatcher')
  @ApiOperation({ summary: 'Record up to 500 lots at once (gateways, ERPs): all or none', description: 'A bad lot refuses the whole batch with a 400 naming lots.<index>.<field>.' })
  @ApiCreatedResponse({ type: LotsCreatedView })
  @ApiProblems(409)
  async createMany(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: CreateLotsDto): Promise<{ items: Lot[] }> {
    return { items: await this.lots.record(principal, id, dto.lots, (i, name) => `lots.${i}.${name}`) };
  }

  @Get(':id/lots')
  @Roles('factory', 'brand')
  @People(...EVERYONE)
  @ApiOperation({ summary: 'The lots of an allocation, in the order they were recorded (its factory and its order’s brand)' })
  @ApiOkResponse({ type: LotListView })
  list(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: ListLotsQuery): Promise<LotList> {
    return this.lots.list(principal, id, query.cursor, query.limit ?? 100);
  }

  @Get(':id/labels.pdf')
  @Roles('factory', 'brand')
  @People(...EVERYONE)
  @ApiOperation({ summary: 'A printable A4 sheet of QR labels of the allocation’s lots (Chinese and English)', description: 'Each QR code opens the lot’s phone page, <PUBLIC_URL>/id/<identifier>. At most 500 labels a sheet: ?cursor= as the list gives it.' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'a PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' }, example: '%PDF-1.3 (an A4 sheet of 2 x 4 labels a page)' } } })
  @Header('Content-Type', 'application/pdf')
  async labelSheet(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: ListLotsQuery): Promise<StreamableFile> {
    const pdf = await this.labels.sheet(principal, id, query.cursor, query.limit ?? 500);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="lots-${id.slice(0, 8)}.pdf"`, length: pdf.length });
  }
}

@ApiTags('lots')
@Controller('id')
export class ResolutionController {
  constructor(private readonly resolution: ResolutionService) {}

  @Get(':id')
  @PublicOrKey()
  @HttpCode(200)
  // One answer per caller: never kept by a shared cache, and the same headers whoever asks.
  @Header('Cache-Control', 'private, no-store')
  @Header('Vary', 'Authorization')
  @ApiParam({ name: 'id', example: 'CL%2Froll.7KQ2M9X4PZ8H3V6WB', description: 'the lot identifier, its slash encoded as %2F' })
  @ApiOperation({ summary: 'Resolve a lot identifier', description: 'No key needed: the public part (kind, product, quantity, city and date of making). The order’s brand and the factories of its chain also get the whole chain; anyone else gets exactly the public part. A mistyped code (check character) is a 400, an unknown one a 404.' })
  @ApiOkResponse({ type: LotResolutionView })
  resolve(@OptionalPrincipal() principal: Principal | undefined, @Param('id') identifier: string): Promise<LotResolution> {
    return this.resolution.resolve(identifier, principal && principal.kind !== 'operator' ? principal.organizationId : null);
  }
}
