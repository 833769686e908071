import { Module, type Provider } from '@nestjs/common';
import { ConfigModule, type ConfigFactoryKeyHost, type ConfigType } from '@nestjs/config';
import type { GatewayCode } from './gateway-codes';
import { GatewayRegistry } from './gateway-registry';
import { gatewaysConfig } from './gateways.config';
import { mpesaConfig } from './mpesa/mpesa.config';
import { MpesaGateway } from './mpesa/mpesa.gateway';
import { paypalConfig } from './paypal/paypal.config';
import { PaypalGateway } from './paypal/paypal.gateway';
import { stripeConfig } from './stripe/stripe.config';
import { StripeGateway } from './stripe/stripe.gateway';
import { zaakpayConfig } from './zaakpay/zaakpay.config';
import { ZaakpayGateway } from './zaakpay/zaakpay.gateway';

/** Builds a gateway from its typed config when it is enabled, else provides null. Nothing is called. */
function gatewayProvider<Config, Gateway>(
  code: GatewayCode,
  gateway: new (config: Config) => Gateway,
  config: ConfigFactoryKeyHost<Config>,
): Provider {
  return {
    provide: gateway,
    inject: [gatewaysConfig.KEY, config.KEY],
    useFactory: (gateways: ConfigType<typeof gatewaysConfig>, typed: Config): Gateway | null =>
      gateways.enabled.includes(code) ? new gateway(typed) : null,
  };
}

/** The payment gateways switched on by GATEWAYS_ENABLED, behind GatewayRegistry. */
@Module({
  imports: [
    ConfigModule.forFeature(gatewaysConfig),
    ConfigModule.forFeature(zaakpayConfig),
    ConfigModule.forFeature(mpesaConfig),
    ConfigModule.forFeature(paypalConfig),
    ConfigModule.forFeature(stripeConfig),
  ],
  providers: [
    gatewayProvider('zaakpay', ZaakpayGateway, zaakpayConfig),
    gatewayProvider('mpesa', MpesaGateway, mpesaConfig),
    gatewayProvider('paypal', PaypalGateway, paypalConfig),
    gatewayProvider('stripe', StripeGateway, stripeConfig),
    GatewayRegistry,
  ],
  exports: [GatewayRegistry],
})
export class GatewaysModule {}
