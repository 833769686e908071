import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import {
  DataSource,
  IsNull,
  type EntityManager,
  type FindOptionsWhere,
  type Repository,
} from 'typeorm';
import { ValidationFailedError } from '../../common/errors/common.errors';
import type { Connection } from '../../common/graphql/pagination';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { redisConfig } from '../../config/redis.config';
import { findKeysetPage } from '../../database/keyset-page';
import { isDuplicateKeyError, withTransaction } from '../../database/transaction';
import { systemActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { AuditActor } from '../audit/audit.types';
import { BlockListEntryEntity } from './entities/block-list-entry.entity';
import { RiskReviewEntity } from './entities/risk-review.entity';
import { RiskRuleEntity } from './entities/risk-rule.entity';
import { riskConfig } from './risk.config';
import { RiskError, RiskErrorCode } from './risk.errors';
import {
  amountLimitTriggers,
  blockListReason,
  decide,
  planVelocity,
  RISK_UNAVAILABLE,
  ruleShapeProblems,
  velocityTriggers,
  type RiskRuleShape,
  type RiskTrigger,
} from './risk-evaluation';
import { canTransitionReview, RiskReviewStatus } from './risk-review-status';
import { RiskAction, type RiskDimension, type RiskRuleType } from './risk-rule-kinds';
import {
  attemptValues,
  blockListValueProblem,
  displayHint,
  keyedHash,
  normaliseValue,
} from './risk-values';
import type { RiskAssessmentInput, RiskDecision } from './risk.types';
import { VelocityCounter } from './velocity-counter';

export interface CreateRiskRuleData {
  readonly merchantId?: string | null;
  readonly type: RiskRuleType;
  readonly dimension?: RiskDimension | null;
  readonly maxCount?: number | null;
  readonly windowSeconds?: number | null;
  readonly currency?: string | null;
  readonly maxAmountMinor?: number | null;
  readonly minAmountMinor?: number | null;
  readonly action: RiskAction;
  readonly enabled?: boolean;
  readonly description: string;
}

/** Fields left undefined keep their value; null clears an optional field. */
export type UpdateRiskRuleData = Partial<
  Omit<CreateRiskRuleData, 'merchantId' | 'type' | 'enabled' | 'action' | 'description'>
> & {
  readonly action?: RiskAction;
  readonly enabled?: boolean;
  readonly description?: string;
};

export interface AddBlockListEntryData {
  readonly merchantId?: string | null;
  readonly dimension: RiskDimension;
  /** The raw value (email, phone, IP...): normalised and hashed, never stored. */
  readonly value: string;
  readonly reason: string;
}

export interface OpenReviewData {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly reasons: readonly string[];
}

export type ReviewDecision = 'approve' | 'reject';

interface PageFilter {
  readonly first: number;
  readonly after?: string;
}

// ER_NO_REFERENCED_ROW_2: the merchant_id foreign key found no merchant.
const isMissingMerchant = (error: unknown): boolean =>
  (error as { code?: string }).code === 'ER_NO_REFERENCED_ROW_2';

const merchantNotFound = (merchantId: string): RiskError =>
  new RiskError(RiskErrorCode.RISK_MERCHANT_NOT_FOUND, `Merchant ${merchantId} not found`);

/** What the audit log keeps of a rule (everything: rules hold no personal data). */
const ruleSnapshot = (rule: RiskRuleEntity): Record<string, unknown> => ({
  merchantId: rule.merchantId,
  type: rule.type,
  dimension: rule.dimension,
  maxCount: rule.maxCount,
  windowSeconds: rule.windowSeconds,
  currency: rule.currency,
  maxAmountMinor: rule.maxAmountMinor,
  minAmountMinor: rule.minAmountMinor,
  action: rule.action,
  enabled: rule.enabled,
  description: rule.description,
});

/**
 * Screens payment attempts before any gateway is charged (block list, amount limits, velocity),
 * holds the doubtful ones for review, and lets staff manage the rules. Every change is audited in
 * the same transaction as the change itself.
 */
@Injectable()
export class RiskService {
  private readonly logger = new Logger(RiskService.name);
  private readonly velocity: VelocityCounter;
  private readonly velocityKeyPrefix: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(RiskRuleEntity) private readonly rules: Repository<RiskRuleEntity>,
    @InjectRepository(BlockListEntryEntity)
    private readonly blockList: Repository<BlockListEntryEntity>,
    @InjectRepository(RiskReviewEntity) private readonly reviews: Repository<RiskReviewEntity>,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(redisConfig.KEY) redisSettings: ConfigType<typeof redisConfig>,
    @Inject(riskConfig.KEY) private readonly config: ConfigType<typeof riskConfig>,
    private readonly audit: AuditService,
  ) {
    this.velocity = new VelocityCounter(redis, config.redisTimeoutMs);
    this.velocityKeyPrefix = `${redisSettings.keyPrefix}:risk:velocity`;
  }

  // ---- Screening -------------------------------------------------------------------------

  /**
   * Decides whether a payment attempt may go ahead. Merchant and platform rules both apply;
   * BLOCK beats REVIEW beats allow. Every call counts as an attempt for velocity rules. If the
   * velocity counters cannot be reached, the answer is at least `review` (RISK_UNAVAILABLE):
   * neither a crash nor a silent allow.
   */
  async assess(input: RiskAssessmentInput): Promise<RiskDecision> {
    const values = attemptValues(input);
    const hashes = new Map<RiskDimension, string>();
    for (const [dimension, value] of Object.entries(values) as [RiskDimension, string][]) {
      hashes.set(dimension, keyedHash(this.config.hashPepper, dimension, value));
    }
    const rules = await this.rules.find({
      where: [
        { merchantId: input.merchantId, enabled: true },
        { merchantId: IsNull(), enabled: true },
      ],
    });
    const triggers: RiskTrigger[] = [
      ...(await this.blockListTriggers(input.merchantId, hashes)),
      ...amountLimitTriggers(rules, input.amount),
    ];
    try {
      triggers.push(...(await this.velocityTriggers(input.paymentId, rules, hashes)));
    } catch (error) {
      this.logger.warn(
        `Risk velocity check unavailable for payment ${input.paymentId}: ${(error as Error).message}`,
      );
      triggers.push({ action: RiskAction.REVIEW, reason: RISK_UNAVAILABLE });
    }
    return decide(triggers);
  }

  private async blockListTriggers(
    merchantId: string,
    hashes: ReadonlyMap<RiskDimension, string>,
  ): Promise<RiskTrigger[]> {
    if (hashes.size === 0) return [];
    const hits = await this.blockList
      .createQueryBuilder('entry')
      .where('entry.valueHash IN (:...hashes)', { hashes: [...hashes.values()] })
      .andWhere('(entry.merchantId = :merchantId OR entry.merchantId IS NULL)', { merchantId })
      .getMany();
    return hits
      .filter((hit) => hashes.get(hit.dimension) === hit.valueHash)
      .map((hit) => ({ action: RiskAction.BLOCK, reason: blockListReason(hit.dimension) }));
  }

  private async velocityTriggers(
    paymentId: string,
    rules: readonly RiskRuleShape[],
    hashes: ReadonlyMap<RiskDimension, string>,
  ): Promise<RiskTrigger[]> {
    const groups = planVelocity(rules, new Set(hashes.keys()));
    if (groups.length === 0) return [];
    // Keys hold the keyed hash, never the raw email/phone/IP.
    const counts = await this.velocity.record(
      paymentId,
      groups.map((group) => ({
        key: `${this.velocityKeyPrefix}:${group.scope}:${group.dimension}:${hashes.get(group.dimension)}`,
        windowsSeconds: group.windowsSeconds,
      })),
    );
    return velocityTriggers(groups, counts);
  }

  // ---- Reviews ---------------------------------------------------------------------------

  /**
   * Holds a payment for review, inside the caller's transaction. Opening a review twice for one
   * payment returns the first one unchanged.
   */
  async openReview(manager: EntityManager, data: OpenReviewData): Promise<RiskReviewEntity> {
    const id = randomUUID();
    await manager
      .createQueryBuilder()
      .insert()
      .into(RiskReviewEntity)
      .values({
        id,
        paymentId: data.paymentId,
        merchantId: data.merchantId,
        reasons: [...data.reasons],
        status: RiskReviewStatus.OPEN,
        resolvedBy: null,
        resolvedAt: null,
        note: null,
      })
      .orIgnore()
      .execute();
    const review = await manager.findOneByOrFail(RiskReviewEntity, { paymentId: data.paymentId });
    if (review.id === id) {
      await this.audit.record(manager, {
        actor: systemActor('risk-engine'),
        action: 'risk.review.open',
        objectType: 'payment',
        objectId: data.paymentId,
        merchantId: data.merchantId,
        details: { reviewId: id, reasons: data.reasons },
      });
    }
    return review;
  }

  /**
   * Approves or rejects a held payment, once. Runs in the caller's transaction when a manager is
   * given (so the payment's own change commits with it), else in its own. Throws
   * RISK_REVIEW_NOT_FOUND when the payment has no review, RISK_REVIEW_ALREADY_RESOLVED when it is
   * no longer open.
   */
  async resolveReview(
    paymentId: string,
    decision: ReviewDecision,
    actor: AuditActor,
    note?: string | null,
    manager?: EntityManager,
  ): Promise<RiskReviewEntity> {
    const work = async (m: EntityManager): Promise<RiskReviewEntity> => {
      const review = await m.findOne(RiskReviewEntity, {
        where: { paymentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!review) {
        throw new RiskError(
          RiskErrorCode.RISK_REVIEW_NOT_FOUND,
          `Payment ${paymentId} has no risk review`,
        );
      }
      const target = decision === 'approve' ? RiskReviewStatus.APPROVED : RiskReviewStatus.REJECTED;
      if (!canTransitionReview(review.status, target)) {
        throw new RiskError(
          RiskErrorCode.RISK_REVIEW_ALREADY_RESOLVED,
          `The review of payment ${paymentId} is already ${review.status}`,
          { status: review.status },
        );
      }
      const resolvedNote = note?.trim() ? note.trim().slice(0, 1000) : null;
      await m.update(
        RiskReviewEntity,
        { id: review.id },
        { status: target, resolvedBy: actor.id, resolvedAt: new Date(), note: resolvedNote },
      );
      await this.audit.record(m, {
        actor,
        action: `risk.review.${decision}`,
        objectType: 'payment',
        objectId: paymentId,
        merchantId: review.merchantId,
        details: { reviewId: review.id, reasons: review.reasons, note: resolvedNote },
      });
      return m.findOneByOrFail(RiskReviewEntity, { id: review.id });
    };
    return manager ? work(manager) : withTransaction(this.dataSource, work);
  }

  findReview(paymentId: string): Promise<RiskReviewEntity | null> {
    return this.reviews.findOneBy({ paymentId });
  }

  listReviews(
    filter: PageFilter & { status?: RiskReviewStatus; merchantId?: string },
  ): Promise<Connection<RiskReviewEntity>> {
    const where: FindOptionsWhere<RiskReviewEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.merchantId) where.merchantId = filter.merchantId;
    return findKeysetPage(this.reviews, where, filter.first, filter.after);
  }

  // ---- Rules -----------------------------------------------------------------------------

  listRules(
    filter: PageFilter & { merchantId?: string; type?: RiskRuleType },
  ): Promise<Connection<RiskRuleEntity>> {
    const where: FindOptionsWhere<RiskRuleEntity> = {};
    if (filter.merchantId) where.merchantId = filter.merchantId;
    if (filter.type) where.type = filter.type;
    return findKeysetPage(this.rules, where, filter.first, filter.after);
  }

  async createRule(actor: AuditActor, data: CreateRiskRuleData): Promise<RiskRuleEntity> {
    const rule: RiskRuleEntity = {
      id: randomUUID(),
      merchantId: data.merchantId ?? null,
      type: data.type,
      dimension: data.dimension ?? null,
      maxCount: data.maxCount ?? null,
      windowSeconds: data.windowSeconds ?? null,
      currency: data.currency?.toUpperCase() ?? null,
      maxAmountMinor: data.maxAmountMinor ?? null,
      minAmountMinor: data.minAmountMinor ?? null,
      action: data.action,
      enabled: data.enabled ?? true,
      description: data.description.trim(),
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    this.assertRuleShape(rule);
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const { createdAt: _createdAt, updatedAt: _updatedAt, ...columns } = rule;
        await manager.insert(RiskRuleEntity, columns);
        const created = await manager.findOneByOrFail(RiskRuleEntity, { id: rule.id });
        await this.audit.record(manager, {
          actor,
          action: 'risk.rule.create',
          objectType: 'risk_rule',
          objectId: created.id,
          merchantId: created.merchantId,
          details: { rule: ruleSnapshot(created) },
        });
        return created;
      });
    } catch (error) {
      if (isMissingMerchant(error)) throw merchantNotFound(rule.merchantId ?? '');
      throw error;
    }
  }

  async updateRule(
    actor: AuditActor,
    id: string,
    changes: UpdateRiskRuleData,
  ): Promise<RiskRuleEntity> {
    return withTransaction(this.dataSource, async (manager) => {
      const before = await this.lockRuleOrThrow(manager, id);
      const after: RiskRuleEntity = { ...before };
      for (const [field, value] of Object.entries(changes)) {
        if (value !== undefined) (after as unknown as Record<string, unknown>)[field] = value;
      }
      if (typeof after.currency === 'string') after.currency = after.currency.toUpperCase();
      after.description = after.description?.trim() ?? '';
      this.assertRuleShape(after);
      await manager.update(
        RiskRuleEntity,
        { id },
        {
          dimension: after.dimension,
          maxCount: after.maxCount,
          windowSeconds: after.windowSeconds,
          currency: after.currency,
          maxAmountMinor: after.maxAmountMinor,
          minAmountMinor: after.minAmountMinor,
          action: after.action,
          enabled: after.enabled,
          description: after.description,
        },
      );
      const updated = await manager.findOneByOrFail(RiskRuleEntity, { id });
      await this.audit.record(manager, {
        actor,
        action: 'risk.rule.update',
        objectType: 'risk_rule',
        objectId: id,
        merchantId: updated.merchantId,
        details: { before: ruleSnapshot(before), after: ruleSnapshot(updated) },
      });
      return updated;
    });
  }

  /** Deletes a rule and returns it as it was. */
  async deleteRule(actor: AuditActor, id: string): Promise<RiskRuleEntity> {
    return withTransaction(this.dataSource, async (manager) => {
      const rule = await this.lockRuleOrThrow(manager, id);
      await manager.delete(RiskRuleEntity, { id });
      await this.audit.record(manager, {
        actor,
        action: 'risk.rule.delete',
        objectType: 'risk_rule',
        objectId: id,
        merchantId: rule.merchantId,
        details: { rule: ruleSnapshot(rule) },
      });
      return rule;
    });
  }

  private async lockRuleOrThrow(manager: EntityManager, id: string): Promise<RiskRuleEntity> {
    const rule = await manager.findOne(RiskRuleEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!rule) throw new RiskError(RiskErrorCode.RISK_RULE_NOT_FOUND, `Risk rule ${id} not found`);
    return rule;
  }

  private assertRuleShape(rule: RiskRuleShape & { description: string }): void {
    const problems = ruleShapeProblems(rule);
    if (!rule.description) problems.description = ['description must not be empty'];
    if (Object.keys(problems).length > 0) throw new ValidationFailedError(problems);
  }

  // ---- Block list ------------------------------------------------------------------------

  listBlockList(
    filter: PageFilter & { merchantId?: string; dimension?: RiskDimension },
  ): Promise<Connection<BlockListEntryEntity>> {
    const where: FindOptionsWhere<BlockListEntryEntity> = {};
    if (filter.merchantId) where.merchantId = filter.merchantId;
    if (filter.dimension) where.dimension = filter.dimension;
    return findKeysetPage(this.blockList, where, filter.first, filter.after);
  }

  async addBlockListEntry(
    actor: AuditActor,
    data: AddBlockListEntryData,
  ): Promise<BlockListEntryEntity> {
    const normalised = normaliseValue(data.dimension, data.value);
    const problem = blockListValueProblem(data.dimension, normalised);
    if (problem || !normalised) throw new ValidationFailedError({ value: [problem ?? 'invalid'] });
    const reason = data.reason.trim();
    if (!reason) throw new ValidationFailedError({ reason: ['reason must not be empty'] });
    const merchantId = data.merchantId ?? null;
    const valueHash = keyedHash(this.config.hashPepper, data.dimension, normalised);
    const duplicate = (): RiskError =>
      new RiskError(
        RiskErrorCode.RISK_BLOCK_LIST_DUPLICATE,
        'This value is already on the block list for this scope',
      );
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        // The unique index cannot see duplicates among platform-wide (NULL merchant) rows.
        const existing = await manager.findOneBy(BlockListEntryEntity, {
          dimension: data.dimension,
          valueHash,
          merchantId: merchantId ?? IsNull(),
        });
        if (existing) throw duplicate();
        const id = randomUUID();
        await manager.insert(BlockListEntryEntity, {
          id,
          merchantId,
          dimension: data.dimension,
          valueHash,
          hint: displayHint(normalised),
          reason: reason.slice(0, 500),
          createdBy: actor.id,
        });
        const entry = await manager.findOneByOrFail(BlockListEntryEntity, { id });
        await this.audit.record(manager, {
          actor,
          action: 'risk.block_list.add',
          objectType: 'block_list_entry',
          objectId: id,
          merchantId,
          // The hint only: the audit log must not hold the raw value either.
          details: { dimension: entry.dimension, hint: entry.hint, reason: entry.reason },
        });
        return entry;
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw duplicate();
      if (isMissingMerchant(error)) throw merchantNotFound(merchantId ?? '');
      throw error;
    }
  }

  /** Removes an entry and returns it as it was. */
  async removeBlockListEntry(actor: AuditActor, id: string): Promise<BlockListEntryEntity> {
    return withTransaction(this.dataSource, async (manager) => {
      const entry = await manager.findOne(BlockListEntryEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!entry) {
        throw new RiskError(
          RiskErrorCode.RISK_BLOCK_LIST_ENTRY_NOT_FOUND,
          `Block-list entry ${id} not found`,
        );
      }
      await manager.delete(BlockListEntryEntity, { id });
      await this.audit.record(manager, {
        actor,
        action: 'risk.block_list.remove',
        objectType: 'block_list_entry',
        objectId: id,
        merchantId: entry.merchantId,
        details: { dimension: entry.dimension, hint: entry.hint, reason: entry.reason },
      });
      return entry;
    });
  }
}
