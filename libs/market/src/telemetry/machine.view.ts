import { ApiProperty } from '@nestjs/swagger';
import { MACHINE_STATES, type MachineState } from '@cloudloom/persistence';
import { EXAMPLE } from '../core/openapi-examples';

/** A loom or sewing station and its latest state as its gateway reported it. */
export class MachineView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.machineId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) lineId!: string;
  @ApiProperty({ example: 'HALL-A-017' }) externalId!: string;
  @ApiProperty({ enum: MACHINE_STATES, nullable: true, example: 'running', description: 'null until the first reading' }) state!: MachineState | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE.dateTime }) stateAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: 'start of the current run of down readings' }) downSince!: string | null;
}

export class MachineListView {
  @ApiProperty({ type: [MachineView] }) items!: MachineView[];
}

export class TelemetryAcceptedView {
  @ApiProperty({ example: '4711', description: 'the stored batch; the worker writes its readings' }) batchId!: string;
  @ApiProperty({ example: 1000 }) readings!: number;
}
