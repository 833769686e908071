import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { OrderEntity } from '../entities/order.entity';
import { OrderStatus } from '../order-status';

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order stands; it follows its payments.',
  valuesMap: {
    PENDING: { description: 'Waiting to be paid.' },
    PAID: { description: 'A payment was captured.' },
    PARTIALLY_REFUNDED: { description: 'Part of what was captured has been refunded.' },
    REFUNDED: { description: 'Everything captured has been refunded.' },
    CANCELLED: { description: 'Cancelled by the merchant before payment.' },
    EXPIRED: { description: 'Not paid in time.' },
  },
});

@ObjectType('OrderLineItem', { description: 'One line of an order.' })
export class OrderLineItem {
  @Field({ description: 'What is sold.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'The merchant’s stock-keeping unit.' })
  sku: string | null;

  @Field(() => Int, { description: 'How many.' })
  quantity: number;

  @Field(() => SafeIntScalar, { description: 'Price of one unit, minor units.' })
  unitAmountMinor: number;

  @Field(() => SafeIntScalar, { description: 'quantity × unitAmountMinor.' })
  totalMinor: number;
}

@ObjectType('Order', { description: 'What a customer owes a merchant.' })
export class Order {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The merchant that sells.' })
  merchantId: string;

  @Field(() => ID, { nullable: true, description: 'The customer user who may pay, if any.' })
  customerId: string | null;

  @Field(() => String, { nullable: true, description: 'The merchant’s own order number.' })
  reference: string | null;

  @Field(() => String, { nullable: true, description: 'Short description.' })
  description: string | null;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => SafeIntScalar, { description: 'Total in minor units of the currency.' })
  totalMinor: number;

  @Field(() => OrderStatus, { description: 'Current status.' })
  status: OrderStatus;

  @Field(() => [OrderLineItem], { description: 'The lines, in order.' })
  lineItems: OrderLineItem[];

  @Field({ description: 'When an unpaid order expires.' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was paid.' })
  paidAt: Date | null;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType('OrderConnection', { description: 'A page of orders.' })
export class OrderConnection extends Paginated(Order, 'Order') {}

export const toOrderModel = (order: OrderEntity): Order => ({
  id: order.id,
  merchantId: order.merchantId,
  customerId: order.customerId,
  reference: order.reference,
  description: order.description,
  currency: order.currency,
  totalMinor: order.totalMinor,
  status: order.status,
  lineItems: [...(order.lineItems ?? [])]
    .sort((a, b) => a.position - b.position)
    .map((item) => ({
      name: item.name,
      sku: item.sku,
      quantity: item.quantity,
      unitAmountMinor: item.unitAmountMinor,
      totalMinor: item.totalMinor,
    })),
  expiresAt: order.expiresAt,
  paidAt: order.paidAt,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
});
