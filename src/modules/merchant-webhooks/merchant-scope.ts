import type { AuthUser } from '../../common/auth/auth-user';
import { Role } from '../users/role';
import { MerchantWebhookError, MerchantWebhookErrorCode } from './merchant-webhooks.errors';

/**
 * The merchant whose data the caller may see: a merchant user or API key only its own; staff
 * any, or all of them when `requested` is absent (undefined means "every merchant").
 */
export function visibleMerchantId(caller: AuthUser, requested?: string | null): string | undefined {
  if (caller.role === Role.ADMIN || caller.role === Role.SUPPORT) return requested ?? undefined;
  return ownMerchantId(caller);
}

/** The caller's own merchant; refused for callers that belong to none. */
export function ownMerchantId(caller: AuthUser): string {
  if (caller.role !== Role.MERCHANT || !caller.merchantId) {
    throw new MerchantWebhookError(
      MerchantWebhookErrorCode.WEBHOOK_MERCHANT_REQUIRED,
      'Only merchant users manage webhook endpoints',
    );
  }
  return caller.merchantId;
}

/** True when the caller may see rows of `merchantId`. */
export const canSeeMerchant = (caller: AuthUser, merchantId: string): boolean => {
  const visible = visibleMerchantId(caller);
  return visible === undefined || visible === merchantId;
};
