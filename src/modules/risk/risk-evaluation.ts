import type { Money } from '../../common/money/money';
import { RiskAction, RiskDimension, RiskRuleType } from './risk-rule-kinds';
import type { RiskDecision } from './risk.types';

/** The fields of a rule that evaluation reads (a RiskRuleEntity fits). */
export interface RiskRuleShape {
  readonly id?: string;
  readonly merchantId: string | null;
  readonly type: RiskRuleType;
  readonly dimension: RiskDimension | null;
  readonly maxCount: number | null;
  readonly windowSeconds: number | null;
  readonly currency: string | null;
  readonly maxAmountMinor: number | null;
  readonly minAmountMinor: number | null;
  readonly action: RiskAction;
  readonly enabled: boolean;
}

/** One check that fired: what it asks for and the reason code reported to the caller. */
export interface RiskTrigger {
  readonly action: RiskAction;
  readonly reason: string;
}

export const RISK_UNAVAILABLE = 'RISK_UNAVAILABLE';
export const AMOUNT_LIMIT_EXCEEDED = 'AMOUNT_LIMIT_EXCEEDED';
export const AMOUNT_BELOW_MINIMUM = 'AMOUNT_BELOW_MINIMUM';
export const blockListReason = (dimension: RiskDimension): string => `BLOCK_LIST_${dimension}`;
export const velocityReason = (dimension: RiskDimension): string =>
  `VELOCITY_${dimension}_EXCEEDED`;

/** Longest velocity window a rule may have (30 days): counters live that long in Redis. */
export const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

/** Amount-limit rules for the payment's currency that the amount falls outside of. */
export function amountLimitTriggers(rules: readonly RiskRuleShape[], amount: Money): RiskTrigger[] {
  const currency = amount.currency.toUpperCase();
  const triggers: RiskTrigger[] = [];
  for (const rule of rules) {
    if (!rule.enabled || rule.type !== RiskRuleType.AMOUNT_LIMIT || rule.currency !== currency)
      continue;
    if (rule.maxAmountMinor !== null && amount.amountMinor > rule.maxAmountMinor)
      triggers.push({ action: rule.action, reason: AMOUNT_LIMIT_EXCEEDED });
    if (rule.minAmountMinor !== null && amount.amountMinor < rule.minAmountMinor)
      triggers.push({ action: rule.action, reason: AMOUNT_BELOW_MINIMUM });
  }
  return triggers;
}

/**
 * Attempts counted together: one counter per scope (a merchant, or the platform) and dimension,
 * read over every window its rules use. A merchant's rule counts only that merchant's attempts;
 * a platform rule counts attempts at every merchant.
 */
export interface VelocityGroup {
  /** The merchant id, or 'platform'. */
  readonly scope: string;
  readonly dimension: RiskDimension;
  /** Distinct windows of the group's rules, ascending. */
  readonly windowsSeconds: readonly number[];
  readonly rules: readonly RiskRuleShape[];
}

export function planVelocity(
  rules: readonly RiskRuleShape[],
  present: ReadonlySet<RiskDimension>,
): VelocityGroup[] {
  const groups = new Map<
    string,
    { scope: string; dimension: RiskDimension; rules: RiskRuleShape[] }
  >();
  for (const rule of rules) {
    if (!rule.enabled || rule.type !== RiskRuleType.VELOCITY) continue;
    if (!rule.dimension || !present.has(rule.dimension)) continue;
    if (!rule.windowSeconds || rule.maxCount === null) continue;
    const scope = rule.merchantId ?? 'platform';
    const key = `${scope}:${rule.dimension}`;
    const group = groups.get(key) ?? { scope, dimension: rule.dimension, rules: [] };
    group.rules.push(rule);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    ...group,
    windowsSeconds: [...new Set(group.rules.map((rule) => rule.windowSeconds!))].sort(
      (a, b) => a - b,
    ),
  }));
}

/** Rules whose count (this attempt included) is above their maximum. counts[i][j]: group i, window j. */
export function velocityTriggers(
  groups: readonly VelocityGroup[],
  counts: readonly (readonly number[])[],
): RiskTrigger[] {
  const triggers: RiskTrigger[] = [];
  groups.forEach((group, index) => {
    for (const rule of group.rules) {
      const count = counts[index]?.[group.windowsSeconds.indexOf(rule.windowSeconds!)] ?? 0;
      if (count > rule.maxCount!)
        triggers.push({ action: rule.action, reason: velocityReason(group.dimension) });
    }
  });
  return triggers;
}

/** BLOCK beats REVIEW beats allow. Reasons are distinct, the blocking ones first. */
export function decide(triggers: readonly RiskTrigger[]): RiskDecision {
  if (triggers.length === 0) return { action: 'allow' };
  const blocking = triggers.filter((trigger) => trigger.action === RiskAction.BLOCK);
  const reviewing = triggers.filter((trigger) => trigger.action === RiskAction.REVIEW);
  const reasons = [...new Set([...blocking, ...reviewing].map((trigger) => trigger.reason))];
  return { action: blocking.length > 0 ? 'block' : 'review', reasons };
}

const CURRENCY = /^[A-Z]{3}$/;

/**
 * Cross-field checks of a whole rule, by field name (the same names class-validator reports).
 * VELOCITY needs dimension, maxCount and windowSeconds; AMOUNT_LIMIT needs currency and
 * maxAmountMinor (minAmountMinor optional); fields of the other type must be empty.
 */
export function ruleShapeProblems(rule: RiskRuleShape): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string): void => {
    (problems[field] ??= []).push(message);
  };
  if (!Object.values(RiskAction).includes(rule.action))
    add('action', 'action must be BLOCK or REVIEW');
  if (typeof rule.enabled !== 'boolean') add('enabled', 'enabled must be true or false');
  const velocityFields = ['dimension', 'maxCount', 'windowSeconds'] as const;
  const amountFields = ['currency', 'maxAmountMinor', 'minAmountMinor'] as const;
  if (rule.type === RiskRuleType.VELOCITY) {
    if (!rule.dimension) add('dimension', 'dimension is required for a VELOCITY rule');
    if (rule.maxCount === null) add('maxCount', 'maxCount is required for a VELOCITY rule');
    else if (!Number.isInteger(rule.maxCount) || rule.maxCount < 1)
      add('maxCount', 'maxCount must be a positive integer');
    if (rule.windowSeconds === null)
      add('windowSeconds', 'windowSeconds is required for a VELOCITY rule');
    else if (
      !Number.isInteger(rule.windowSeconds) ||
      rule.windowSeconds < 1 ||
      rule.windowSeconds > MAX_WINDOW_SECONDS
    )
      add('windowSeconds', `windowSeconds must be between 1 and ${MAX_WINDOW_SECONDS}`);
    for (const field of amountFields)
      if (rule[field] !== null) add(field, `${field} must be empty for a VELOCITY rule`);
  } else {
    if (!rule.currency) add('currency', 'currency is required for an AMOUNT_LIMIT rule');
    else if (!CURRENCY.test(rule.currency))
      add('currency', 'currency must be an ISO 4217 code such as USD');
    if (rule.maxAmountMinor === null)
      add('maxAmountMinor', 'maxAmountMinor is required for an AMOUNT_LIMIT rule');
    else if (!Number.isSafeInteger(rule.maxAmountMinor) || rule.maxAmountMinor < 0)
      add('maxAmountMinor', 'maxAmountMinor must be a non-negative integer of minor units');
    if (rule.minAmountMinor !== null) {
      if (!Number.isSafeInteger(rule.minAmountMinor) || rule.minAmountMinor < 0)
        add('minAmountMinor', 'minAmountMinor must be a non-negative integer of minor units');
      else if (rule.maxAmountMinor !== null && rule.minAmountMinor > rule.maxAmountMinor)
        add('minAmountMinor', 'minAmountMinor must not exceed maxAmountMinor');
    }
    for (const field of velocityFields)
      if (rule[field] !== null) add(field, `${field} must be empty for an AMOUNT_LIMIT rule`);
  }
  return problems;
}
