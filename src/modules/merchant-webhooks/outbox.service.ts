import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxEventInput, OutboxRecording } from './outbox.types';

// PLACEHOLDER: replaced by the outbox implementation.
@Injectable()
export class OutboxService implements OutboxRecording {
  record(_manager: EntityManager, _event: OutboxEventInput): Promise<void> {
    return Promise.resolve();
  }
  kick(): void {}
}
