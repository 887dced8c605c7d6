import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { invalidFields } from '@cloudloom/platform';
import { EVERYONE, People, Roles } from '../identity/principal';
import { estimateOf, SamEstimateDto, samFeatureErrors } from './sam.dto';
import { SamEstimateView } from './sam-estimate.view';

@ApiTags('brand')
@Controller('sam-estimates')
export class SamController {
  /** Pure arithmetic on the operations library: nothing is read or written. */
  @Roles('brand', 'factory', 'operator')
  // An estimate changes nothing: a viewer may ask for one.
  @People(...EVERYONE)
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Estimate standard minutes from a garment spec',
    description: 'An operation bulletin from the library of sewing operations (sources in docs/sam.md): the typical standard allowed minutes per piece, a range, and each operation. A garment order may send the same spec instead of samMinutes.',
  })
  @ApiOkResponse({ type: SamEstimateView })
  estimate(@Body() dto: SamEstimateDto): SamEstimateView {
    const errors = samFeatureErrors(dto.features);
    if (errors.length > 0) throw invalidFields(errors);
    const e = estimateOf(dto.category, dto.fabricType, dto.features);
    return { samMinutes: e.samMinutes, range: [e.range[0], e.range[1]], operations: e.operations.map((o) => ({ name: o.name, minutes: o.minutes })) };
  }
}
