import { allowsDemoSecrets, currentProfile, list } from '../config/profile';
import { GATEWAY_CODES, isGatewayCode, type GatewayCode } from './gateway-codes';

type Environment = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const profileOf = (env: Environment) => currentProfile({ APP_PROFILE: text(env.APP_PROFILE) });

/** GATEWAYS_ENABLED split into known codes and unknown entries (case-insensitive, blanks dropped). */
export function parseGatewayList(value: string | undefined): {
  readonly codes: GatewayCode[];
  readonly unknown: string[];
} {
  const entries = list(value).map((entry) => entry.toLowerCase());
  return {
    codes: GATEWAY_CODES.filter((code) => entries.includes(code)),
    unknown: [...new Set(entries.filter((entry) => !isGatewayCode(entry)))],
  };
}

/**
 * The gateways switched on. Unset GATEWAYS_ENABLED means every gateway in development/demo/test
 * (they default to the local simulators) and none in production. Unknown codes are ignored here;
 * config validation reports them.
 */
export function enabledGatewayCodes(env: Environment): GatewayCode[] {
  const value = text(env.GATEWAYS_ENABLED);
  if (value === undefined || value.trim() === '') {
    return profileOf(env) === 'production' ? [] : [...GATEWAY_CODES];
  }
  return parseGatewayList(value).codes;
}

export function isGatewayEnabled(env: Environment, code: GatewayCode): boolean {
  return enabledGatewayCodes(env).includes(code);
}

/**
 * A `@ValidateIf` condition for one gateway credential: checked when it is set, and required when
 * the gateway is enabled in a profile without demo credentials (production).
 */
export function credentialRequired(code: GatewayCode) {
  return (env: object, value: unknown): boolean =>
    value !== undefined ||
    (isGatewayEnabled(env as Environment, code) &&
      !allowsDemoSecrets({ APP_PROFILE: text((env as Environment).APP_PROFILE) }));
}
