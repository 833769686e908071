import { registerEnumType } from '@nestjs/graphql';
import type { OutboxObjectType } from './outbox.types';

/** The kinds of object events are about, as GraphQL names them (values are the stored names). */
export enum EventObjectType {
  PAYMENT = 'payment',
  REFUND = 'refund',
  ORDER = 'order',
}

// Compile-time check that the enum and the outbox contract list the same names.
const _sameNames: Record<OutboxObjectType, EventObjectType> = {
  payment: EventObjectType.PAYMENT,
  refund: EventObjectType.REFUND,
  order: EventObjectType.ORDER,
};

registerEnumType(EventObjectType, {
  name: 'EventObjectType',
  description: 'What an event is about.',
  valuesMap: {
    PAYMENT: { description: 'A payment.' },
    REFUND: { description: 'A refund of a payment.' },
    ORDER: { description: 'An order.' },
  },
});
