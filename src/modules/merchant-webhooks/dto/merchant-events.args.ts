import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { EventObjectType } from '../event-object-type';
import { WebhookDeliveryStatus } from '../webhook-delivery-status';

@ArgsType()
export class MerchantEventsArgs extends PageArgs {
  @Field(() => EventObjectType, {
    nullable: true,
    description: 'Only events about this kind of object.',
  })
  @IsOptional()
  @IsEnum(EventObjectType)
  objectType?: EventObjectType;

  @Field({ nullable: true, description: 'Only events about this object.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  objectId?: string;

  @Field({ nullable: true, description: 'Only events of this type, e.g. `payment.captured`.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @Field({ nullable: true, description: 'Only events created strictly after this time.' })
  @IsOptional()
  @IsDate()
  createdAfter?: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'Only this merchant’s events (staff only; merchants always see their own).',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only deliveries of this event.' })
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @Field(() => ID, { nullable: true, description: 'Only deliveries to this endpoint.' })
  @IsOptional()
  @IsUUID()
  endpointId?: string;

  @Field(() => WebhookDeliveryStatus, {
    nullable: true,
    description: 'Only deliveries in this status.',
  })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;

  @Field(() => ID, {
    nullable: true,
    description: 'Only this merchant’s deliveries (staff only; merchants always see their own).',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
