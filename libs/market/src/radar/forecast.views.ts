import { ApiProperty } from '@nestjs/swagger';
import type { CapacityForecast, CapacityForecastCluster, CapacityForecastDay, CapacityForecastRow } from '@cloudloom/contracts';
import { EXAMPLE } from '../core/openapi-examples';

class ForecastDayView implements CapacityForecastDay {
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate }) date!: string;
  @ApiProperty({ example: 752_870_400, description: "the ledger's capacity that day, in the row's unit" }) capacity!: number;
  @ApiProperty({ example: 601_000_000, description: 'already reserved by work placed' }) booked!: number;
  @ApiProperty({ example: 151_870_400, description: 'capacity − booked' }) free!: number;
  @ApiProperty({ example: 93_500_000, description: 'work forecast to be placed on this day (by the day it is matched), from the last weeks of placed work' }) demand!: number;
}

class ForecastRowView implements CapacityForecastRow {
  @ApiProperty({ example: 'Shaoxing, Zhejiang', description: "the factories' city and province" }) cluster!: string;
  @ApiProperty({ enum: ['weaving', 'sewing'], example: 'weaving' }) kind!: 'weaving' | 'sewing';
  @ApiProperty({ example: 'air_jet', description: 'loom type (weaving) or garment category (sewing; a line counts in every category it sews)' }) segment!: string;
  @ApiProperty({ enum: ['picks', 'minutes'], example: 'picks', description: 'capacity unit: weft picks (weaving) or standard minutes (sewing)' }) unit!: 'picks' | 'minutes';
  @ApiProperty({ example: 12 }) lines!: number;
  @ApiProperty({ type: [ForecastDayView] }) days!: ForecastDayView[];
}

class ForecastClusterView implements CapacityForecastCluster {
  @ApiProperty({ example: 'Shaoxing, Zhejiang' }) cluster!: string;
  @ApiProperty({ enum: ['weaving', 'sewing'], example: 'weaving' }) kind!: 'weaving' | 'sewing';
  @ApiProperty({ example: 9, description: 'verified, active factories with an active line of this kind' }) mills!: number;
  @ApiProperty({ example: 14, description: 'their active lines (a sewing line once, whatever categories it sews)' }) lines!: number;
  @ApiProperty({ example: 620, description: 'looms (weaving) or operators (sewing) on those lines' }) machines!: number;
  @ApiProperty({ type: Number, nullable: true, example: 11, description: "median days from an order's posting to the end date of its work here, over the history window; null without work" }) leadTimeDays!: number | null;
}

export class ForecastView implements CapacityForecast {
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate, description: 'the first day forecast (today, UTC)' }) from!: string;
  @ApiProperty({ example: 14 }) days!: number;
  @ApiProperty({ example: 56, description: 'days of placed work the demand forecast learns from' }) historyDays!: number;
  @ApiProperty({ example: 'holt-winters-additive-weekly', description: 'Holt-Winters with additive trend and weekly season (the naive same-weekday baseline under two weeks of history)' }) method!: string;
  @ApiProperty({ type: [ForecastRowView] }) items!: ForecastRowView[];
  @ApiProperty({ type: [ForecastClusterView], description: "each cluster's weaving and sewing side: mills, lines, looms or operators, typical lead time" }) clusters!: ForecastClusterView[];
}
