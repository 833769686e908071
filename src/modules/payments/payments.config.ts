import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { registerEnvironmentSchema } from '../../config/env.validation';
import { int } from '../../config/profile';

class PaymentsEnvironmentVariables {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  PAYMENT_FEE_BPS?: number;

  @IsOptional()
  @IsString()
  @Matches(/^\d+(,\d+)*$/, {
    message: 'PAYMENT_RECONCILE_SCHEDULE must be a comma list of seconds',
  })
  PAYMENT_RECONCILE_SCHEDULE?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  PAYMENT_RECONCILE_INTERVAL_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  PAYMENT_PENDING_OPERATION_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  PAYMENT_WEBHOOK_JOB_ATTEMPTS?: number;
}

registerEnvironmentSchema({
  name: 'payments',
  when: () => true,
  schema: PaymentsEnvironmentVariables,
});

export interface PaymentsConfig {
  /** Platform fee taken from each capture, in basis points (250 = 2.5%). */
  readonly feeBps: number;
  /**
   * Seconds to wait before each reconciliation check of a payment or refund left unsettled;
   * after the last one it is flagged for manual review.
   */
  readonly reconcileScheduleSeconds: readonly number[];
  /** How often the reconciler looks for due payments and refunds. */
  readonly reconcileIntervalMs: number;
  /** After this long, an unanswered capture or cancel is handed to reconciliation. */
  readonly pendingOperationTimeoutSeconds: number;
  /** Tries of a gateway-callback job before it is left failed for an admin to replay. */
  readonly webhookJobAttempts: number;
}

export const paymentsConfig = registerAs('payments', (): PaymentsConfig => ({
  feeBps: int(process.env.PAYMENT_FEE_BPS, 250),
  reconcileScheduleSeconds: (
    process.env.PAYMENT_RECONCILE_SCHEDULE || '30,120,600,3600,21600,86400'
  )
    .split(',')
    .map(Number),
  reconcileIntervalMs: int(process.env.PAYMENT_RECONCILE_INTERVAL_MS, 15_000),
  pendingOperationTimeoutSeconds: int(process.env.PAYMENT_PENDING_OPERATION_TIMEOUT_SECONDS, 120),
  webhookJobAttempts: int(process.env.PAYMENT_WEBHOOK_JOB_ATTEMPTS, 8),
}));
