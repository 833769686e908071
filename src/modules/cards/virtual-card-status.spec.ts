import { WalletHoldStatus } from '../wallets/wallet-hold-status';
import {
  assertAuthorizationTransition,
  CARD_AUTHORIZATION_TRANSITIONS,
  canTransitionAuthorization,
  CardAuthorizationStatus,
  effectiveAuthorizationStatus,
} from './card-authorization-status';
import {
  canTransitionCard,
  VIRTUAL_CARD_STATUS_TRANSITIONS,
  VirtualCardStatus,
} from './virtual-card-status';

describe('virtual card status transitions', () => {
  it('freezes and unfreezes, closes from either, and never reopens', () => {
    expect(canTransitionCard(VirtualCardStatus.ACTIVE, VirtualCardStatus.FROZEN)).toBe(true);
    expect(canTransitionCard(VirtualCardStatus.FROZEN, VirtualCardStatus.ACTIVE)).toBe(true);
    expect(canTransitionCard(VirtualCardStatus.ACTIVE, VirtualCardStatus.CLOSED)).toBe(true);
    expect(canTransitionCard(VirtualCardStatus.FROZEN, VirtualCardStatus.CLOSED)).toBe(true);
    for (const to of Object.values(VirtualCardStatus)) {
      expect(canTransitionCard(VirtualCardStatus.CLOSED, to)).toBe(false);
    }
  });

  it('has an entry for every status and no self-transitions', () => {
    for (const from of Object.values(VirtualCardStatus)) {
      expect(VIRTUAL_CARD_STATUS_TRANSITIONS[from]).toBeDefined();
      expect(canTransitionCard(from, from)).toBe(false);
    }
  });
});

describe('card authorization status transitions', () => {
  it('settles an approval exactly once', () => {
    for (const to of [
      CardAuthorizationStatus.CAPTURED,
      CardAuthorizationStatus.REVERSED,
      CardAuthorizationStatus.EXPIRED,
    ]) {
      expect(canTransitionAuthorization(CardAuthorizationStatus.APPROVED, to)).toBe(true);
    }
    expect(
      canTransitionAuthorization(
        CardAuthorizationStatus.APPROVED,
        CardAuthorizationStatus.DECLINED,
      ),
    ).toBe(false);
    for (const from of [
      CardAuthorizationStatus.DECLINED,
      CardAuthorizationStatus.CAPTURED,
      CardAuthorizationStatus.REVERSED,
      CardAuthorizationStatus.EXPIRED,
    ]) {
      expect(CARD_AUTHORIZATION_TRANSITIONS[from]).toEqual([]);
    }
  });
});

describe('assertAuthorizationTransition', () => {
  it('lets through exactly what the table allows and throws on anything else', () => {
    const statuses = Object.values(CardAuthorizationStatus);
    for (const from of statuses) {
      for (const to of statuses) {
        const allowed = CARD_AUTHORIZATION_TRANSITIONS[from].includes(to);
        if (allowed) expect(() => assertAuthorizationTransition(from, to)).not.toThrow();
        else expect(() => assertAuthorizationTransition(from, to)).toThrow(`A ${from}`);
      }
    }
    // The cases a race would produce: a second settlement of a settled authorization.
    expect(() =>
      assertAuthorizationTransition(
        CardAuthorizationStatus.REVERSED,
        CardAuthorizationStatus.CAPTURED,
      ),
    ).toThrow();
    expect(() =>
      assertAuthorizationTransition(
        CardAuthorizationStatus.CAPTURED,
        CardAuthorizationStatus.CAPTURED,
      ),
    ).toThrow();
  });
});

describe('effectiveAuthorizationStatus', () => {
  const now = new Date('2026-05-01T12:00:00Z');
  const later = new Date('2026-05-02T12:00:00Z');
  const earlier = new Date('2026-04-30T12:00:00Z');

  it('keeps an approval whose hold is active and unexpired', () => {
    expect(
      effectiveAuthorizationStatus(
        CardAuthorizationStatus.APPROVED,
        { status: WalletHoldStatus.ACTIVE, expiresAt: later },
        now,
      ),
    ).toBe(CardAuthorizationStatus.APPROVED);
  });

  it('reads EXPIRED once the hold lapsed, before or after the sweep', () => {
    expect(
      effectiveAuthorizationStatus(
        CardAuthorizationStatus.APPROVED,
        { status: WalletHoldStatus.ACTIVE, expiresAt: earlier },
        now,
      ),
    ).toBe(CardAuthorizationStatus.EXPIRED);
    expect(
      effectiveAuthorizationStatus(
        CardAuthorizationStatus.APPROVED,
        { status: WalletHoldStatus.EXPIRED, expiresAt: earlier },
        now,
      ),
    ).toBe(CardAuthorizationStatus.EXPIRED);
  });

  it('reads REVERSED when staff released the hold', () => {
    expect(
      effectiveAuthorizationStatus(
        CardAuthorizationStatus.APPROVED,
        { status: WalletHoldStatus.RELEASED, expiresAt: later },
        now,
      ),
    ).toBe(CardAuthorizationStatus.REVERSED);
  });

  it('never changes a settled or declined authorization', () => {
    const lapsed = { status: WalletHoldStatus.EXPIRED, expiresAt: earlier };
    for (const status of [
      CardAuthorizationStatus.CAPTURED,
      CardAuthorizationStatus.REVERSED,
      CardAuthorizationStatus.DECLINED,
    ]) {
      expect(effectiveAuthorizationStatus(status, lapsed, now)).toBe(status);
    }
    expect(effectiveAuthorizationStatus(CardAuthorizationStatus.APPROVED, null, now)).toBe(
      CardAuthorizationStatus.APPROVED,
    );
  });
});
