import { GatewayRegistry } from './gateway-registry';
import { GatewayError } from './gateway.error';
import type { MpesaGateway } from './mpesa/mpesa.gateway';
import type { PaymentGateway } from './payment-gateway';
import type { StripeGateway } from './stripe/stripe.gateway';

const fake = <T>(code: string): T => ({ code }) as unknown as T;

describe('GatewayRegistry', () => {
  const mpesa = fake<MpesaGateway>('mpesa');
  const stripe = fake<StripeGateway>('stripe');
  const registry = new GatewayRegistry(null, mpesa, null, stripe);

  it('holds only the enabled gateways, in code order', () => {
    expect(registry.enabledCodes()).toEqual(['mpesa', 'stripe']);
    expect(registry.list()).toEqual([mpesa, stripe]);
    expect(registry.getOrThrow('stripe')).toBe(stripe);
    expect(registry.isEnabled('mpesa')).toBe(true);
    expect(registry.isEnabled('paypal')).toBe(false);
  });

  it('refuses a disabled gateway as misconfigured', () => {
    const error = captured(() => registry.getOrThrow('paypal'));
    expect(error).toMatchObject({ kind: 'misconfigured', gatewayCode: 'paypal', retryable: false });
    expect(error.message).toBe(
      'Gateway "paypal" is not enabled (GATEWAYS_ENABLED); enabled: mpesa, stripe',
    );
  });

  it('refuses an unknown code as misconfigured, listing the known ones', () => {
    const error = captured(() => registry.getOrThrow('Stripe '));
    expect(error.kind).toBe('misconfigured');
    expect(error.message).toBe(
      'Unknown gateway "Stripe "; known gateways: zaakpay, mpesa, paypal, stripe',
    );
  });

  it('resolves an internal gateway by code once registered, but never routes to it', () => {
    const local = new GatewayRegistry(null, mpesa, null, null);
    expect(captured(() => local.getOrThrow('wallet')).message).toBe(
      'Internal gateway "wallet" is not loaded here',
    );
    const wallet = fake<PaymentGateway & { code: 'wallet' }>('wallet');
    local.registerInternal(wallet);
    expect(local.getOrThrow('wallet')).toBe(wallet);
    expect(local.list()).toEqual([mpesa]);
    expect(local.enabledCodes()).toEqual(['mpesa']);
    expect(local.isEnabled('wallet')).toBe(false);
  });

  it('may hold no gateway at all', () => {
    const empty = new GatewayRegistry(null, null, null, null);
    expect(empty.enabledCodes()).toEqual([]);
    expect(empty.list()).toEqual([]);
    expect(captured(() => empty.getOrThrow('zaakpay')).message).toContain('enabled: none');
  });
});

function captured(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}
