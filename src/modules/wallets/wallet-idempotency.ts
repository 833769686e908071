import type { AuthUser } from '../../common/auth/auth-user';
import type { IdempotencyService } from '../payments/idempotency/idempotency.service';
import { WalletError, WalletErrorCode } from './wallets.errors';

/**
 * Runs a wallet command (transfer, conversion, withdrawal, top-up) under the caller's required
 * idempotency key, scope `user:<id>`. The stored outcome is only the id of the row the command
 * created, so a replay re-reads that row and shows its current state rather than trusting old JSON.
 */
export async function runWalletCommand(
  idempotency: IdempotencyService,
  caller: AuthUser,
  idempotencyKey: string | undefined,
  operation: string,
  request: unknown,
  work: () => Promise<string>,
): Promise<string> {
  if (!idempotencyKey) {
    throw new WalletError(WalletErrorCode.WALLET_INVALID_INPUT, 'An idempotency key is required', {
      fields: { idempotencyKey: ['is required'] },
    });
  }
  return idempotency.run(`user:${caller.userId}`, idempotencyKey, operation, request, work);
}
