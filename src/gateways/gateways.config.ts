import { registerAs } from '@nestjs/config';
import {
  IsOptional,
  IsString,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { registerEnvironmentSchema } from '../config/env.validation';
import { GATEWAY_CODES, type GatewayCode } from './gateway-codes';
import { enabledGatewayCodes, isGatewayEnabled, parseGatewayList } from './gateways-enabled';
import { MpesaEnvironmentVariables } from './mpesa/mpesa.config';
import { PaypalEnvironmentVariables } from './paypal/paypal.config';
import { StripeEnvironmentVariables } from './stripe/stripe.config';
import { ZaakpayEnvironmentVariables } from './zaakpay/zaakpay.config';

export interface GatewaysConfig {
  /** The gateways switched on, in GATEWAY_CODES order. */
  readonly enabled: readonly GatewayCode[];
}

/** Accepts a comma list of known gateway codes; names every unknown one and the valid codes. */
function IsGatewayList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isGatewayList',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseGatewayList(value).unknown.length === 0,
        defaultMessage: (args?: ValidationArguments) => {
          const unknown = parseGatewayList(String(args?.value)).unknown;
          return `GATEWAYS_ENABLED has unknown gateway code(s) ${unknown.map((code) => `"${code}"`).join(', ')}; valid codes: ${GATEWAY_CODES.join(', ')}`;
        },
      },
    });
}

export class GatewaysEnvironmentVariables {
  @IsOptional()
  @IsString()
  @IsGatewayList()
  GATEWAYS_ENABLED?: string;
}

// Each gateway's credentials are validated only when it is enabled. Registered when this module is
// loaded, which must precede ConfigModule's validation: GatewaysModule imports it.
const ENVIRONMENT_SCHEMAS: Record<GatewayCode, new () => object> = {
  zaakpay: ZaakpayEnvironmentVariables,
  mpesa: MpesaEnvironmentVariables,
  paypal: PaypalEnvironmentVariables,
  stripe: StripeEnvironmentVariables,
};

registerEnvironmentSchema({
  name: 'gateways',
  when: () => true,
  schema: GatewaysEnvironmentVariables,
});
for (const code of GATEWAY_CODES) {
  registerEnvironmentSchema({
    name: code,
    when: (env) => isGatewayEnabled(env, code),
    schema: ENVIRONMENT_SCHEMAS[code],
  });
}

export const gatewaysConfig = registerAs('gateways', (): GatewaysConfig => ({
  enabled: enabledGatewayCodes(process.env),
}));

/** Where `npm run simulators` delivers webhooks: the app's PUBLIC_URL, else the local default. */
export function simulatorWebhookBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PUBLIC_URL || 'http://127.0.0.1:3000';
}
