import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditRecordInput, AuditRecording } from './audit.types';

// PLACEHOLDER: replaced by the audit implementation.
@Injectable()
export class AuditService implements AuditRecording {
  record(_manager: EntityManager | null, _input: AuditRecordInput): Promise<void> {
    return Promise.resolve();
  }
}
