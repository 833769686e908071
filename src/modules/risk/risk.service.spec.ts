import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { DataSource, Repository } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { BlockListEntryEntity } from './entities/block-list-entry.entity';
import type { RiskReviewEntity } from './entities/risk-review.entity';
import type { RiskRuleEntity } from './entities/risk-rule.entity';
import { RiskAction, RiskDimension, RiskRuleType } from './risk-rule-kinds';
import { keyedHash } from './risk-values';
import { RiskService } from './risk.service';
import type { RiskAssessmentInput } from './risk.types';

const PEPPER = 'unit-test-pepper-0123456789abcdef0123';

const ipRule = {
  id: 'r1',
  merchantId: null,
  type: RiskRuleType.VELOCITY,
  dimension: RiskDimension.IP,
  maxCount: 3,
  windowSeconds: 60,
  currency: null,
  maxAmountMinor: null,
  minAmountMinor: null,
  action: RiskAction.REVIEW,
  enabled: true,
} as RiskRuleEntity;

const input: RiskAssessmentInput = {
  paymentId: 'p1',
  merchantId: 'm1',
  amount: { amountMinor: 500, currency: 'KES' },
  paymentMethod: 'card',
  ip: '203.0.113.9',
  email: 'Fraud@Example.com',
};

function serviceWith(options: {
  rules?: RiskRuleEntity[];
  blocked?: Partial<BlockListEntryEntity>[];
  redis: Partial<Redis>;
}): RiskService {
  const rules = { find: () => Promise.resolve(options.rules ?? []) };
  const query = {
    where: () => query,
    andWhere: () => query,
    getMany: () => Promise.resolve(options.blocked ?? []),
  };
  const blockList = { createQueryBuilder: () => query };
  return new RiskService(
    {} as DataSource,
    rules as unknown as Repository<RiskRuleEntity>,
    blockList as unknown as Repository<BlockListEntryEntity>,
    {} as Repository<RiskReviewEntity>,
    options.redis as Redis,
    { host: '', port: 0, db: 0, keyPrefix: 'unit' },
    { hashPepper: PEPPER, redisTimeoutMs: 50 },
    {} as AuditService,
  );
}

const redisDown: Partial<Redis> = {
  multi: (() => {
    const chain = {
      zadd: () => chain,
      zremrangebyscore: () => chain,
      pexpire: () => chain,
      zcount: () => chain,
      exec: () => Promise.reject(new Error("Stream isn't writeable")),
    };
    return chain;
  }) as unknown as Redis['multi'],
};

describe('RiskService.assess', () => {
  // The fail-safe path logs a warning by design; keep the test output clean.
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('fails safe to review with RISK_UNAVAILABLE when the velocity counters are down', async () => {
    const service = serviceWith({ rules: [ipRule], redis: redisDown });
    await expect(service.assess(input)).resolves.toEqual({
      action: 'review',
      reasons: ['RISK_UNAVAILABLE'],
    });
  });

  it('still blocks a block-listed value while Redis is down', async () => {
    const service = serviceWith({
      rules: [ipRule],
      blocked: [
        {
          dimension: RiskDimension.EMAIL,
          valueHash: keyedHash(PEPPER, RiskDimension.EMAIL, 'fraud@example.com'),
        },
      ],
      redis: redisDown,
    });
    await expect(service.assess(input)).resolves.toEqual({
      action: 'block',
      reasons: ['BLOCK_LIST_EMAIL', 'RISK_UNAVAILABLE'],
    });
  });

  it('does not need Redis when no velocity rule applies', async () => {
    const service = serviceWith({ rules: [], redis: redisDown });
    await expect(service.assess(input)).resolves.toEqual({ action: 'allow' });
  });
});
