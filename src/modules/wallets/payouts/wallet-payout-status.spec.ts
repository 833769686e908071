import {
  applyPayoutTransition,
  canTransitionPayout,
  isFinalPayoutStatus,
  OPEN_WALLET_PAYOUT_STATUSES,
  WALLET_PAYOUT_TRANSITIONS,
  WalletPayoutStatus,
} from './wallet-payout-status';

const { PENDING, PROCESSING, SUCCEEDED, FAILED, UNKNOWN } = WalletPayoutStatus;
const ALL = Object.values(WalletPayoutStatus);

describe('wallet payout status transitions', () => {
  it('lists every status in the table', () => {
    expect(Object.keys(WALLET_PAYOUT_TRANSITIONS).sort()).toEqual([...ALL].sort());
  });

  it('moves a new payout to any outcome the gateway can give', () => {
    for (const to of [PROCESSING, SUCCEEDED, FAILED, UNKNOWN]) {
      expect(canTransitionPayout(PENDING, to)).toBe(true);
    }
  });

  it('settles a processing payout, but never back to pending or unknown', () => {
    expect(canTransitionPayout(PROCESSING, SUCCEEDED)).toBe(true);
    expect(canTransitionPayout(PROCESSING, FAILED)).toBe(true);
    expect(canTransitionPayout(PROCESSING, PENDING)).toBe(false);
    expect(canTransitionPayout(PROCESSING, UNKNOWN)).toBe(false);
  });

  it('lets an unknown payout learn it is processing, succeeded or failed', () => {
    expect(canTransitionPayout(UNKNOWN, PROCESSING)).toBe(true);
    expect(canTransitionPayout(UNKNOWN, SUCCEEDED)).toBe(true);
    expect(canTransitionPayout(UNKNOWN, FAILED)).toBe(true);
    expect(canTransitionPayout(UNKNOWN, PENDING)).toBe(false);
  });

  it('never moves a final payout', () => {
    for (const from of [SUCCEEDED, FAILED]) {
      expect(isFinalPayoutStatus(from)).toBe(true);
      for (const to of ALL) expect(canTransitionPayout(from, to)).toBe(false);
    }
    for (const open of OPEN_WALLET_PAYOUT_STATUSES) expect(isFinalPayoutStatus(open)).toBe(false);
  });

  it('nothing moves back to PENDING', () => {
    for (const from of ALL) expect(canTransitionPayout(from, PENDING)).toBe(false);
  });

  it('applies a move once: a repeat is unchanged and a contradiction is refused', () => {
    const payout = { status: PROCESSING };
    expect(applyPayoutTransition(payout, SUCCEEDED)).toBe('moved');
    expect(payout.status).toBe(SUCCEEDED);
    expect(applyPayoutTransition(payout, SUCCEEDED)).toBe('unchanged');
    expect(applyPayoutTransition(payout, FAILED)).toBe('refused');
    expect(payout.status).toBe(SUCCEEDED);

    const failed = { status: FAILED };
    expect(applyPayoutTransition(failed, SUCCEEDED)).toBe('refused');
    expect(failed.status).toBe(FAILED);
  });
});
