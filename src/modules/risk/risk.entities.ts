import { BlockListEntryEntity } from './entities/block-list-entry.entity';
import { RiskReviewEntity } from './entities/risk-review.entity';
import { RiskRuleEntity } from './entities/risk-rule.entity';

/** The risk module's entities, registered in src/database/entities.ts. */
export const RISK_ENTITIES = [RiskRuleEntity, BlockListEntryEntity, RiskReviewEntity];
