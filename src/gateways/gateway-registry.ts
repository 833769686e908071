import { Inject, Injectable } from '@nestjs/common';
import {
  GATEWAY_CODES,
  INTERNAL_GATEWAY_CODES,
  isGatewayCode,
  type GatewayCode,
  type InternalGatewayCode,
} from './gateway-codes';
import { GatewayError } from './gateway.error';
import { MpesaGateway } from './mpesa/mpesa.gateway';
import type { PaymentGateway } from './payment-gateway';
import { PaypalGateway } from './paypal/paypal.gateway';
import { StripeGateway } from './stripe/stripe.gateway';
import { ZaakpayGateway } from './zaakpay/zaakpay.gateway';

/**
 * The enabled gateways by code. Which gateway serves a payment is data (a stored `gateway_code`);
 * this is the only place that turns the code into a gateway. A disabled gateway is provided as null.
 */
@Injectable()
export class GatewayRegistry {
  private readonly gateways: Partial<Record<GatewayCode, PaymentGateway>>;
  private readonly internal = new Map<InternalGatewayCode, PaymentGateway>();

  constructor(
    @Inject(ZaakpayGateway) zaakpay: ZaakpayGateway | null,
    @Inject(MpesaGateway) mpesa: MpesaGateway | null,
    @Inject(PaypalGateway) paypal: PaypalGateway | null,
    @Inject(StripeGateway) stripe: StripeGateway | null,
  ) {
    // A Record over every code: adding a code without wiring its gateway fails to compile.
    const all: Record<GatewayCode, PaymentGateway | null> = { zaakpay, mpesa, paypal, stripe };
    this.gateways = Object.fromEntries(
      GATEWAY_CODES.flatMap((code) => (all[code] ? [[code, all[code]]] : [])),
    );
  }

  /**
   * Adds one of our own gateways (e.g. the wallet balance), registered by its module at start-up.
   * Internal gateways are reachable by code only: routing, callbacks and `list()` see the external ones.
   */
  registerInternal(gateway: PaymentGateway & { readonly code: InternalGatewayCode }): void {
    this.internal.set(gateway.code, gateway);
  }

  /** The gateway for a stored code; `misconfigured` when the code is unknown or the gateway is off. */
  getOrThrow(code: string): PaymentGateway {
    const internal = this.internal.get(code as InternalGatewayCode);
    if (internal) return internal;
    if ((INTERNAL_GATEWAY_CODES as readonly string[]).includes(code)) {
      throw new GatewayError('misconfigured', `Internal gateway "${code}" is not loaded here`);
    }
    if (!isGatewayCode(code)) {
      throw new GatewayError(
        'misconfigured',
        `Unknown gateway "${code}"; known gateways: ${GATEWAY_CODES.join(', ')}`,
      );
    }
    const gateway = this.gateways[code];
    if (!gateway) {
      throw new GatewayError(
        'misconfigured',
        `Gateway "${code}" is not enabled (GATEWAYS_ENABLED); enabled: ${this.enabledCodes().join(', ') || 'none'}`,
        { gatewayCode: code },
      );
    }
    return gateway;
  }

  isEnabled(code: string): boolean {
    return isGatewayCode(code) && this.gateways[code] !== undefined;
  }

  /** Enabled codes, in GATEWAY_CODES order. */
  enabledCodes(): GatewayCode[] {
    return GATEWAY_CODES.filter((code) => this.gateways[code] !== undefined);
  }

  /** The enabled external gateways (internal ones are not routed to). */
  list(): (PaymentGateway & { readonly code: GatewayCode })[] {
    return this.enabledCodes().map(
      (code) => this.gateways[code]! as PaymentGateway & { readonly code: GatewayCode },
    );
  }
}
