import { Injectable } from '@nestjs/common';
import type { RiskAssessmentInput, RiskDecision } from './risk.types';

// PLACEHOLDER: replaced by the risk implementation.
@Injectable()
export class RiskService {
  assess(_input: RiskAssessmentInput): Promise<RiskDecision> {
    return Promise.resolve({ action: 'allow' });
  }
}
