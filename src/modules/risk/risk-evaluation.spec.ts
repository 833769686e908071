import {
  amountLimitTriggers,
  decide,
  planVelocity,
  ruleShapeProblems,
  velocityTriggers,
  type RiskRuleShape,
} from './risk-evaluation';
import { RiskAction, RiskDimension, RiskRuleType } from './risk-rule-kinds';

const velocity = (overrides: Partial<RiskRuleShape> = {}): RiskRuleShape => ({
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
  ...overrides,
});

const amountLimit = (overrides: Partial<RiskRuleShape> = {}): RiskRuleShape => ({
  merchantId: null,
  type: RiskRuleType.AMOUNT_LIMIT,
  dimension: null,
  maxCount: null,
  windowSeconds: null,
  currency: 'KES',
  maxAmountMinor: 100_000,
  minAmountMinor: null,
  action: RiskAction.BLOCK,
  enabled: true,
  ...overrides,
});

describe('amount-limit rules', () => {
  it('triggers above the maximum, in the rule’s currency only', () => {
    const rules = [amountLimit()];
    expect(amountLimitTriggers(rules, { amountMinor: 100_001, currency: 'KES' })).toEqual([
      { action: RiskAction.BLOCK, reason: 'AMOUNT_LIMIT_EXCEEDED' },
    ]);
    expect(amountLimitTriggers(rules, { amountMinor: 100_000, currency: 'KES' })).toEqual([]);
    expect(amountLimitTriggers(rules, { amountMinor: 999_999, currency: 'USD' })).toEqual([]);
  });

  it('triggers below an optional minimum and ignores disabled rules', () => {
    const rules = [
      amountLimit({ minAmountMinor: 100, action: RiskAction.REVIEW }),
      amountLimit({ maxAmountMinor: 1, enabled: false }),
    ];
    expect(amountLimitTriggers(rules, { amountMinor: 99, currency: 'kes' })).toEqual([
      { action: RiskAction.REVIEW, reason: 'AMOUNT_BELOW_MINIMUM' },
    ]);
  });
});

describe('velocity rules', () => {
  it('groups rules by scope and dimension, over their distinct windows', () => {
    const groups = planVelocity(
      [
        velocity({ windowSeconds: 3600 }),
        velocity({ windowSeconds: 60 }),
        velocity({ windowSeconds: 60, maxCount: 5 }),
        velocity({ merchantId: 'm1' }),
        velocity({ dimension: RiskDimension.EMAIL }),
        velocity({ dimension: RiskDimension.PHONE, enabled: false }),
      ],
      new Set([RiskDimension.IP, RiskDimension.PHONE]),
    );
    expect(groups.map((group) => [group.scope, group.dimension, group.windowsSeconds])).toEqual([
      ['platform', RiskDimension.IP, [60, 3600]],
      ['m1', RiskDimension.IP, [60]],
    ]);
  });

  it('triggers when the count including this attempt is above the maximum', () => {
    const groups = planVelocity([velocity({ maxCount: 3 })], new Set([RiskDimension.IP]));
    expect(velocityTriggers(groups, [[3]])).toEqual([]);
    expect(velocityTriggers(groups, [[4]])).toEqual([
      { action: RiskAction.REVIEW, reason: 'VELOCITY_IP_EXCEEDED' },
    ]);
  });

  it('reads each rule’s own window', () => {
    const groups = planVelocity(
      [
        velocity({ windowSeconds: 60, maxCount: 2, action: RiskAction.BLOCK }),
        velocity({ windowSeconds: 3600, maxCount: 10 }),
      ],
      new Set([RiskDimension.IP]),
    );
    // 2 in the last minute, 11 in the last hour: only the hourly rule fires.
    expect(velocityTriggers(groups, [[2, 11]])).toEqual([
      { action: RiskAction.REVIEW, reason: 'VELOCITY_IP_EXCEEDED' },
    ]);
  });
});

describe('decide', () => {
  it('allows when nothing triggered', () => {
    expect(decide([])).toEqual({ action: 'allow' });
  });

  it('lets BLOCK beat REVIEW and lists distinct reasons, blocking ones first', () => {
    expect(
      decide([
        { action: RiskAction.REVIEW, reason: 'VELOCITY_IP_EXCEEDED' },
        { action: RiskAction.BLOCK, reason: 'BLOCK_LIST_EMAIL' },
        { action: RiskAction.REVIEW, reason: 'VELOCITY_IP_EXCEEDED' },
      ]),
    ).toEqual({ action: 'block', reasons: ['BLOCK_LIST_EMAIL', 'VELOCITY_IP_EXCEEDED'] });
    expect(decide([{ action: RiskAction.REVIEW, reason: 'RISK_UNAVAILABLE' }])).toEqual({
      action: 'review',
      reasons: ['RISK_UNAVAILABLE'],
    });
  });
});

describe('rule shape', () => {
  it('refuses a missing action or enabled flag', () => {
    expect(
      Object.keys(
        ruleShapeProblems(velocity({ action: null as never, enabled: null as never })),
      ).sort(),
    ).toEqual(['action', 'enabled']);
  });

  it('accepts complete rules of each type', () => {
    expect(ruleShapeProblems(velocity())).toEqual({});
    expect(ruleShapeProblems(amountLimit({ minAmountMinor: 10 }))).toEqual({});
  });

  it('names the missing fields of a VELOCITY rule and the stray amount fields', () => {
    const problems = ruleShapeProblems(
      velocity({ dimension: null, maxCount: null, windowSeconds: null, currency: 'KES' }),
    );
    expect(Object.keys(problems).sort()).toEqual([
      'currency',
      'dimension',
      'maxCount',
      'windowSeconds',
    ]);
  });

  it('names the missing fields of an AMOUNT_LIMIT rule and a minimum above the maximum', () => {
    expect(
      Object.keys(ruleShapeProblems(amountLimit({ currency: null, maxAmountMinor: null }))),
    ).toEqual(['currency', 'maxAmountMinor']);
    expect(ruleShapeProblems(amountLimit({ minAmountMinor: 200_000 }))).toEqual({
      minAmountMinor: ['minAmountMinor must not exceed maxAmountMinor'],
    });
    expect(Object.keys(ruleShapeProblems(amountLimit({ dimension: RiskDimension.IP })))).toEqual([
      'dimension',
    ]);
  });
});
