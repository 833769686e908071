import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { EVENT_TYPE_FILTER_PATTERN } from '../event-type-filter';
import { MAX_ENDPOINT_URL_LENGTH } from '../webhook-url-guard';

const EVENT_TYPES_DESCRIPTION =
  'Event types to send: exact (`payment.captured`), a family (`payment.*`) or `*`; empty or absent means every type.';
const EVENT_TYPE_MESSAGE = 'each event type must look like payment.captured, payment.* or *';

@InputType({ description: 'A new webhook endpoint for the caller’s merchant.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'The http(s) URL events are POSTed to.' })
  @IsString()
  @MaxLength(MAX_ENDPOINT_URL_LENGTH)
  url: string;

  @Field(() => [String], { nullable: true, description: EVENT_TYPES_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(EVENT_TYPE_FILTER_PATTERN, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes?: string[];

  @Field({ nullable: true, description: 'A note to recognise the endpoint.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

@InputType({ description: 'Changes to a webhook endpoint; absent fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint to change.' })
  @IsUUID()
  id: string;

  @Field({ nullable: true, description: 'A new http(s) URL.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_ENDPOINT_URL_LENGTH)
  url?: string;

  @Field({ nullable: true, description: 'False pauses deliveries (they wait); true resumes them.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field(() => [String], { nullable: true, description: EVENT_TYPES_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(EVENT_TYPE_FILTER_PATTERN, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes?: string[];

  @Field({ nullable: true, description: 'A new note.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

@ArgsType()
export class WebhookEndpointsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Only this merchant’s endpoints (staff only; merchants always see their own).',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
