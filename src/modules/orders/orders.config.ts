import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { registerEnvironmentSchema } from '../../config/env.validation';
import { int } from '../../config/profile';

class OrdersEnvironmentVariables {
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 60 * 60)
  ORDER_TTL_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  ORDER_EXPIRY_SWEEP_MS?: number;
}

registerEnvironmentSchema({ name: 'orders', when: () => true, schema: OrdersEnvironmentVariables });

export interface OrdersConfig {
  /** How long an unpaid order stays payable unless the merchant says otherwise. */
  readonly defaultTtlSeconds: number;
  /** How often the expiry sweep runs. */
  readonly expirySweepMs: number;
}

export const ordersConfig = registerAs('orders', (): OrdersConfig => ({
  defaultTtlSeconds: int(process.env.ORDER_TTL_SECONDS, 24 * 60 * 60),
  expirySweepMs: int(process.env.ORDER_EXPIRY_SWEEP_MS, 60_000),
}));
