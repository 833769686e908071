import { registerEnumType } from '@nestjs/graphql';

export enum VirtualCardStatus {
  ACTIVE = 'ACTIVE',
  FROZEN = 'FROZEN',
  CLOSED = 'CLOSED',
}

registerEnumType(VirtualCardStatus, {
  name: 'VirtualCardStatus',
  description: 'Whether a virtual card can be used.',
  valuesMap: {
    ACTIVE: { description: 'New authorizations are considered.' },
    FROZEN: {
      description:
        'Temporarily blocked: new authorizations are declined; earlier approved ones may still be captured or reversed.',
    },
    CLOSED: {
      description:
        'Closed for good: new authorizations are declined; earlier approved ones may still be captured or reversed.',
    },
  },
});

/** Allowed status changes of a card. CLOSED is final. */
export const VIRTUAL_CARD_STATUS_TRANSITIONS: Record<
  VirtualCardStatus,
  readonly VirtualCardStatus[]
> = {
  [VirtualCardStatus.ACTIVE]: [VirtualCardStatus.FROZEN, VirtualCardStatus.CLOSED],
  [VirtualCardStatus.FROZEN]: [VirtualCardStatus.ACTIVE, VirtualCardStatus.CLOSED],
  [VirtualCardStatus.CLOSED]: [],
};

export const canTransitionCard = (from: VirtualCardStatus, to: VirtualCardStatus): boolean =>
  VIRTUAL_CARD_STATUS_TRANSITIONS[from].includes(to);
