import { GATEWAY_CODES, type GatewayCode } from '../../../gateways/gateway-codes';
import type { GatewayCapabilities, PaymentMethodKind } from '../../../gateways/payment-gateway';

export interface RouteRequest {
  readonly amountMinor: number;
  readonly currency: string;
  readonly paymentMethod: PaymentMethodKind;
  readonly captureMode: 'automatic' | 'manual';
  readonly country?: string;
  /** The caller asked for this gateway: only it is tried. */
  readonly gatewayCode?: string;
}

export interface RoutingRuleLike {
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  readonly gatewayCode: string;
  readonly currency: string | null;
  readonly paymentMethod: string | null;
  readonly minAmountMinor: number | null;
  readonly maxAmountMinor: number | null;
  readonly country: string | null;
  readonly weight: number;
  readonly enabled: boolean;
}

export interface RouteInputs {
  /** Gateways the platform has switched on, with what each can do. */
  readonly gateways: ReadonlyMap<GatewayCode, GatewayCapabilities>;
  /** The merchant's switches; a merchant with none may use every platform gateway. */
  readonly merchantGateways: readonly { gatewayCode: string; enabled: boolean }[];
  readonly rules: readonly RoutingRuleLike[];
  /** 0-99, stable per payment: decides percentage splits, so a retry routes the same way. */
  readonly splitSeed: number;
}

export interface RouteCandidate {
  readonly gatewayCode: GatewayCode;
  readonly reason: string;
}

export interface RoutePlan {
  readonly candidates: readonly RouteCandidate[];
  /** Why each platform gateway was left out. */
  readonly excluded: Readonly<Record<string, string>>;
}

/** Why a gateway cannot take this payment, or null when it can. */
export function ineligibility(
  capabilities: GatewayCapabilities,
  request: RouteRequest,
): string | null {
  if (!capabilities.currencies.includes(request.currency))
    return `does not take ${request.currency}`;
  if (!capabilities.paymentMethods.includes(request.paymentMethod))
    return `does not take ${request.paymentMethod}`;
  if (request.captureMode === 'manual' && !capabilities.manualCapture)
    return 'cannot authorize now and capture later';
  const min = capabilities.minAmountMinor[request.currency];
  const max = capabilities.maxAmountMinor[request.currency];
  if (min !== undefined && request.amountMinor < min)
    return `minimum is ${min} ${request.currency} minor units`;
  if (max !== undefined && request.amountMinor > max)
    return `maximum is ${max} ${request.currency} minor units`;
  return null;
}

const ruleMatches = (rule: RoutingRuleLike, request: RouteRequest): boolean =>
  rule.enabled &&
  (rule.currency === null || rule.currency === request.currency) &&
  (rule.paymentMethod === null || rule.paymentMethod === request.paymentMethod) &&
  (rule.minAmountMinor === null || request.amountMinor >= rule.minAmountMinor) &&
  (rule.maxAmountMinor === null || request.amountMinor <= rule.maxAmountMinor) &&
  (rule.country === null || rule.country === request.country);

/** Orders rules of one priority by a weighted draw: the drawn rule first, the rest by weight. */
function weightedOrder(rules: RoutingRuleLike[], seed: number): RoutingRuleLike[] {
  const total = rules.reduce((sum, rule) => sum + rule.weight, 0);
  const point = (seed / 100) * total;
  let cumulative = 0;
  const drawn =
    rules.find((rule) => {
      cumulative += rule.weight;
      return point < cumulative;
    }) ?? rules[rules.length - 1]!;
  const rest = rules.filter((rule) => rule !== drawn).sort((a, b) => b.weight - a.weight);
  return [drawn, ...rest];
}

/**
 * Decides which gateways may take a payment, in the order to try them, and says why for each:
 * matching rules by priority (weighted split within a priority), then every other eligible gateway
 * as a fallback. Pure, so the routing table is testable without a database.
 */
export function planRoute(request: RouteRequest, inputs: RouteInputs): RoutePlan {
  const excluded: Record<string, string> = {};
  const merchantSwitches = new Map(inputs.merchantGateways.map((m) => [m.gatewayCode, m.enabled]));
  const eligible = new Set<GatewayCode>();
  for (const code of GATEWAY_CODES) {
    const capabilities = inputs.gateways.get(code);
    if (!capabilities) {
      excluded[code] = 'not enabled on this platform';
      continue;
    }
    const switched = merchantSwitches.get(code);
    if (switched === false || (merchantSwitches.size > 0 && switched === undefined)) {
      excluded[code] = 'not enabled for this merchant';
      continue;
    }
    const why = ineligibility(capabilities, request);
    if (why) {
      excluded[code] = why;
      continue;
    }
    eligible.add(code);
  }

  if (request.gatewayCode !== undefined) {
    const code = request.gatewayCode as GatewayCode;
    return eligible.has(code)
      ? { candidates: [{ gatewayCode: code, reason: 'requested by the caller' }], excluded }
      : { candidates: [], excluded };
  }

  const candidates: RouteCandidate[] = [];
  const listed = new Set<GatewayCode>();
  const matching = inputs.rules.filter(
    (rule) => ruleMatches(rule, request) && eligible.has(rule.gatewayCode as GatewayCode),
  );
  const priorities = [...new Set(matching.map((rule) => rule.priority))].sort((a, b) => a - b);
  for (const priority of priorities) {
    const group = matching.filter((rule) => rule.priority === priority);
    const total = group.reduce((sum, rule) => sum + rule.weight, 0);
    for (const rule of weightedOrder(group, inputs.splitSeed)) {
      const code = rule.gatewayCode as GatewayCode;
      if (listed.has(code)) continue;
      listed.add(code);
      const split = group.length > 1 ? `, ${rule.weight} of ${total} weight` : '';
      candidates.push({
        gatewayCode: code,
        reason: `rule "${rule.name}" (priority ${priority}${split})`,
      });
    }
  }
  for (const code of GATEWAY_CODES) {
    if (!eligible.has(code) || listed.has(code)) continue;
    listed.add(code);
    candidates.push({
      gatewayCode: code,
      reason: `${matching.length > 0 || inputs.rules.length > 0 ? 'fallback' : 'default'}: takes ${request.currency} ${request.paymentMethod}`,
    });
  }
  return { candidates, excluded };
}

/** A stable 0-99 bucket for a payment id. */
export function splitSeedOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 100;
}
