export const GATEWAY_CODES = ['zaakpay', 'mpesa', 'paypal', 'stripe'] as const;
export type GatewayCode = (typeof GATEWAY_CODES)[number];

export function isGatewayCode(value: string): value is GatewayCode {
  return (GATEWAY_CODES as readonly string[]).includes(value);
}

/**
 * Gateways we run ourselves behind the same contract: `wallet` pays from a Payrail wallet's balance.
 * They take no callbacks, have no simulator and are never chosen by routing: a payment method picks
 * them (see the payments module). They register with GatewayRegistry at start-up.
 */
export const INTERNAL_GATEWAY_CODES = ['wallet'] as const;
export type InternalGatewayCode = (typeof INTERNAL_GATEWAY_CODES)[number];
