export const GATEWAY_CODES = ['zaakpay', 'mpesa', 'paypal', 'stripe'] as const;
export type GatewayCode = (typeof GATEWAY_CODES)[number];

export function isGatewayCode(value: string): value is GatewayCode {
  return (GATEWAY_CODES as readonly string[]).includes(value);
}
