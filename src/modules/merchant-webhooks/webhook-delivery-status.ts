import { registerEnumType } from '@nestjs/graphql';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one event stands with one endpoint.',
  valuesMap: {
    PENDING: { description: 'Not delivered yet: waiting for its first try or its next retry.' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every scheduled retry failed; only a replay sends it again.' },
  },
});
