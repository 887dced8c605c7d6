import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { RegisterMachinesDto, TelemetryBatchDto } from './machines.dto';
import { MachineListView, TelemetryAcceptedView } from './machine.view';
import { MachinesService } from './machines.service';

@ApiTags('factory')
@Roles('factory')
@Controller()
export class MachinesController {
  constructor(private readonly machines: MachinesService) {}

  @People('owner', 'dispatcher')
  @Post('lines/:id/machines')
  @HttpCode(201)
  @ApiOperation({ summary: "Register a line's machines", description: "Each with the gateway's external id, unique within the factory; all or nothing." })
  @ApiCreatedResponse({ type: MachineListView })
  @ApiProblems(409)
  register(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: RegisterMachinesDto): Promise<MachineListView> {
    return this.machines.register(principal, id, dto);
  }

  @People(...EVERYONE)
  @Get('lines/:id/machines')
  @ApiOperation({ summary: "A line's machines and their latest state" })
  @ApiOkResponse({ type: MachineListView })
  list(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<MachineListView> {
    return this.machines.list(principal, id);
  }

  /** The body is read as sent (see parseTelemetryBatch): batches exceed the generic input limits. */
  @People('owner', 'dispatcher')
  @Post('telemetry')
  @HttpCode(202)
  @ApiOperation({ summary: "Readings from the factory's gateway", description: 'Up to 5,000 readings; accepted at once and written by the worker. Repeated and out-of-order readings are harmless.' })
  @ApiBody({ type: TelemetryBatchDto })
  @ApiAcceptedResponse({ type: TelemetryAcceptedView })
  ingest(@CurrentPrincipal() principal: Principal, @Req() request: { body?: unknown }): Promise<TelemetryAcceptedView> {
    return this.machines.ingest(principal, request.body);
  }
}
