// Zaakpay's publicly documented staging pair (printed in its own docs and kits): test use only.
export const STAGING_MERCHANT_IDENTIFIER = 'b19e8f103bce406cbd3476431b6b7973';
export const STAGING_SECRET_KEY = '0678056d96914a8583fb518caf42828a';
/** The merchant the doc's refund and webhook samples use (same staging secret). */
export const SAMPLE_MERCHANT_IDENTIFIER = 'fb2016ffd3a64b2994a6289dc2b671a4';
