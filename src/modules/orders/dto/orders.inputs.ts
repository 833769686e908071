import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { OrderStatus } from '../order-status';

@InputType({ description: 'One line of a new order.' })
export class OrderLineItemInput {
  @Field({ description: 'What is sold, as the customer should see it.' })
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ nullable: true, description: 'The merchant’s stock-keeping unit.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sku?: string;

  @Field(() => Int, { description: 'How many (1 to 10000).' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;

  @Field(() => SafeIntScalar, {
    description: 'Price of one unit in minor units of the order currency.',
  })
  @IsInt()
  @Min(1)
  unitAmountMinor: number;
}

@InputType({ description: 'A new order; its total is the sum of its lines.' })
export class CreateOrderInput {
  @Field({ description: 'ISO 4217 currency code, e.g. USD, INR, KES.' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code in capitals' })
  currency: string;

  @Field(() => [OrderLineItemInput], { description: 'The lines (1 to 100).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineItemInput)
  lineItems: OrderLineItemInput[];

  @Field({ nullable: true, description: 'The merchant’s own order number, unique per merchant.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  reference?: string;

  @Field({ nullable: true, description: 'A short description shown at the gateway.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;

  @Field(() => ID, { nullable: true, description: 'The customer user who will pay, by id.' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field({ nullable: true, description: 'The customer user who will pay, by email.' })
  @IsOptional()
  @IsEmail()
  customerEmail?: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Seconds until the unpaid order expires (60 to 2592000); default from configuration.',
  })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 60 * 60)
  expiresInSeconds?: number;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this status.' })
  @IsOptional()
  status?: OrderStatus;
}
