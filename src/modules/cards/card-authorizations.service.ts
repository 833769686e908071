import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, type EntityManager, MoreThan, Repository } from 'typeorm';
import { isDuplicateKeyError, withTransaction } from '../../database/transaction';
import type { AuditActor } from '../audit/audit.types';
import { AuditService } from '../audit/audit.service';
import type { AccountRef } from '../ledger/ledger.types';
import { WalletHoldEntity } from '../wallets/entities/wallet-hold.entity';
import { startOfUtcDay } from '../wallets/wallet-accounts';
import { WalletHoldStatus } from '../wallets/wallet-hold-status';
import { WalletHoldsService } from '../wallets/wallet-holds.service';
import { WalletError, WalletErrorCode } from '../wallets/wallets.errors';
import { WalletsService } from '../wallets/wallets.service';
import {
  assertAuthorizationTransition,
  CARD_DECLINE_MESSAGES,
  CardAuthorizationStatus,
  CardDeclineCode,
  effectiveAuthorizationStatus,
} from './card-authorization-status';
import { deriveCvv, isCardExpired, panFingerprint } from './card-number';
import { cardsConfig } from './cards.config';
import { CardError, CardErrorCode } from './cards.errors';
import type { CardNetworkAuthorizationRequest } from './dto/card-network.dto';
import { CardAuthorizationEntity } from './entities/card-authorization.entity';
import { VirtualCardEntity } from './entities/virtual-card.entity';
import { VirtualCardStatus } from './virtual-card-status';

/** What the network receives for an authorization request (and again for any retry of it). */
export interface AuthorizationDecision {
  readonly id: string;
  readonly approved: boolean;
  readonly authorizationCode?: string;
  readonly declineCode?: CardDeclineCode;
  readonly message: string;
}

/** What the network receives for a capture or a reversal. */
export interface SettlementResult {
  readonly id: string;
  readonly status: CardAuthorizationStatus;
  readonly amountMinor: number;
  readonly capturedMinor: number;
  readonly releasedMinor: number;
  readonly currency: string;
}

/** The account captures pay into: what we owe the card network until it settles with us. */
export const cardNetworkSettlementAccount = (currency: string): AccountRef => ({
  kind: 'gateway_clearing',
  ownerId: 'card_network',
  currency,
});

/** The wallet hold reference of an authorization: unique per wallet, so a hold is placed once. */
export const cardHoldReference = (networkAuthorizationId: string): string =>
  `card-auth:${networkAuthorizationId}`;

const AUTHORIZATION_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const newAuthorizationCode = (): string =>
  Array.from(
    { length: 6 },
    () => AUTHORIZATION_CODE_ALPHABET[randomInt(AUTHORIZATION_CODE_ALPHABET.length)],
  ).join('');

type Settled =
  | { kind: 'settled'; row: CardAuthorizationEntity }
  | { kind: 'lapsed'; row: CardAuthorizationEntity };

/**
 * The card network's side: authorize (decide, and hold the money), capture (pay the network from
 * the hold) and reverse (release the hold). Every decision is recorded once per network id.
 *
 * Lock order, as everywhere for wallet money: the wallet row, then the card or authorization row,
 * then the hold (through WalletHoldsService), and the ledger last.
 */
@Injectable()
export class CardAuthorizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(VirtualCardEntity) private readonly cards: Repository<VirtualCardEntity>,
    @InjectRepository(CardAuthorizationEntity)
    private readonly authorizations: Repository<CardAuthorizationEntity>,
    private readonly wallets: WalletsService,
    private readonly holds: WalletHoldsService,
    private readonly audit: AuditService,
    @Inject(cardsConfig.KEY) private readonly config: ConfigType<typeof cardsConfig>,
  ) {}

  // ---- authorize ----

  /**
   * Decides an authorization request. The same network id again returns the first decision
   * (never a second hold); the same id with another card, expiry, amount or currency is refused.
   */
  async authorize(
    request: CardNetworkAuthorizationRequest,
    actor: AuditActor,
  ): Promise<AuthorizationDecision> {
    const fingerprint = panFingerprint(this.config.panLookupKey, request.cardNumber);
    const requestHash = this.requestHash(fingerprint, request);
    const existing = await this.authorizations.findOneBy({
      networkAuthorizationId: request.id,
    });
    if (existing) return this.replay(existing, requestHash);

    const card = await this.cards.findOneBy({ panFingerprint: fingerprint });
    try {
      const row = card
        ? await this.decide(card, request, requestHash, actor)
        : await this.recordUnknownCard(request, requestHash, actor);
      return this.replay(row, requestHash);
    } catch (error) {
      // A duplicate that raced us past the first look: its decision stands.
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await this.authorizations.findOneByOrFail({
        networkAuthorizationId: request.id,
      });
      return this.replay(winner, requestHash);
    }
  }

  private async decide(
    found: VirtualCardEntity,
    request: CardNetworkAuthorizationRequest,
    requestHash: string,
    actor: AuditActor,
  ): Promise<CardAuthorizationEntity> {
    return withTransaction(this.dataSource, async (tx) => {
      await this.wallets.lockWallets(tx, [found.walletId]);
      const card = await tx
        .getRepository(VirtualCardEntity)
        .createQueryBuilder('card')
        .where('card.id = :id', { id: found.id })
        .setLock('pessimistic_write')
        .getOneOrFail();
      // A concurrent duplicate for this card held the wallet lock before us and has committed.
      const again = await tx.findOneBy(CardAuthorizationEntity, {
        networkAuthorizationId: request.id,
      });
      if (again) return again;

      const now = new Date();
      let declineCode = await this.checkCard(tx, card, request, now);
      let holdId: string | null = null;
      if (!declineCode) {
        try {
          const hold = await this.holds.placeHold(
            {
              walletId: card.walletId,
              amountMinor: request.amountMinor,
              expiresAt: new Date(now.getTime() + this.config.authorizationHoldHours * 3_600_000),
              reference: cardHoldReference(request.id),
              reason: `Card ending ${card.last4} at ${request.merchant.name}`.slice(0, 200),
            },
            actor,
            tx,
          );
          holdId = hold.id;
        } catch (error) {
          // Both are refused before the hold is written, so the transaction goes on cleanly.
          if (
            error instanceof WalletError &&
            error.code === WalletErrorCode.WALLET_INSUFFICIENT_FUNDS
          ) {
            declineCode = CardDeclineCode.INSUFFICIENT_FUNDS;
          } else if (error instanceof WalletError && error.code === WalletErrorCode.WALLET_FROZEN) {
            declineCode = CardDeclineCode.CARD_FROZEN;
          } else {
            throw error;
          }
        }
      }
      const id = randomUUID();
      const approved = declineCode === null;
      await tx.insert(CardAuthorizationEntity, {
        id,
        networkAuthorizationId: request.id,
        requestHash,
        cardId: card.id,
        walletId: card.walletId,
        amountMinor: request.amountMinor,
        currency: request.currency,
        status: approved ? CardAuthorizationStatus.APPROVED : CardAuthorizationStatus.DECLINED,
        declineCode,
        authorizationCode: approved ? newAuthorizationCode() : null,
        holdId,
        capturedMinor: 0,
        ...this.merchantOf(request),
        settledAt: null,
      });
      await this.audit.record(tx, {
        actor,
        action: approved ? 'card.authorization.approve' : 'card.authorization.decline',
        objectType: 'card_authorization',
        objectId: id,
        merchantId: null,
        // "networkId", not "networkAuthorizationId": the audit log redacts any key that contains
        // "authorization", which would hide the one id the network reconciles by.
        details: {
          networkId: request.id,
          cardId: card.id,
          walletId: card.walletId,
          last4: card.last4,
          amountMinor: request.amountMinor,
          currency: request.currency,
          declineCode,
          holdId,
          merchant: this.merchantOf(request),
        },
      });
      return tx.findOneByOrFail(CardAuthorizationEntity, { id });
    });
  }

  /** The checks that need no money: status, expiry, CVV, currency, then the card's limits. */
  private async checkCard(
    tx: EntityManager,
    card: VirtualCardEntity,
    request: CardNetworkAuthorizationRequest,
    now: Date,
  ): Promise<CardDeclineCode | null> {
    if (card.status === VirtualCardStatus.CLOSED) return CardDeclineCode.CARD_CLOSED;
    if (card.status === VirtualCardStatus.FROZEN) return CardDeclineCode.CARD_FROZEN;
    if (isCardExpired(card.expYear, card.expMonth, now)) return CardDeclineCode.EXPIRED_CARD;
    if (request.expMonth !== card.expMonth || request.expYear !== card.expYear) {
      return CardDeclineCode.INVALID_EXPIRY_DATE;
    }
    // Someone guessing the CVV: after too many wrong ones the card refuses everything for a day.
    if ((await this.cvvFailuresToday(tx, card.id, now)) >= this.config.maxCvvFailures) {
      return CardDeclineCode.CVV_ATTEMPTS_EXCEEDED;
    }
    if (request.cvv !== undefined) {
      const expected = deriveCvv(
        this.config.cvvKey,
        request.cardNumber,
        card.expYear,
        card.expMonth,
      );
      if (!constantTimeEqual(request.cvv, expected)) return CardDeclineCode.INCORRECT_CVC;
    }
    if (request.currency !== card.currency) return CardDeclineCode.CURRENCY_NOT_SUPPORTED;
    if (
      card.perTransactionLimitMinor !== null &&
      request.amountMinor > card.perTransactionLimitMinor
    ) {
      return CardDeclineCode.LIMIT_EXCEEDED;
    }
    if (card.dailyLimitMinor !== null) {
      const spent = await this.spentToday(tx, card.id, now);
      if (spent + request.amountMinor > card.dailyLimitMinor) return CardDeclineCode.LIMIT_EXCEEDED;
    }
    return null;
  }

  /** Wrong CVVs on this card in the last 24 hours (read under the card's lock). */
  private async cvvFailuresToday(tx: EntityManager, cardId: string, now: Date): Promise<number> {
    return tx.count(CardAuthorizationEntity, {
      where: {
        cardId,
        declineCode: CardDeclineCode.INCORRECT_CVC,
        createdAt: MoreThan(new Date(now.getTime() - 24 * 3_600_000)),
      },
    });
  }

  /**
   * What the card has committed today (UTC): captured amounts, plus approvals whose hold still
   * reserves money. Reversed, declined and lapsed ones do not count. Read under the wallet lock,
   * which every writer of this card's authorizations holds, so it stays true until commit.
   */
  private async spentToday(tx: EntityManager, cardId: string, now: Date): Promise<number> {
    const rows = (await tx.query(
      `SELECT COALESCE(SUM(CASE
                WHEN auth.status = ? THEN auth.captured_minor
                WHEN auth.status = ? AND hold.status = ? AND hold.expires_at > ?
                  THEN auth.amount_minor
                ELSE 0 END), 0) AS spent
         FROM card_authorizations auth
         LEFT JOIN wallet_holds hold ON hold.id = auth.hold_id
        WHERE auth.card_id = ? AND auth.created_at >= ?
          AND auth.status IN (?, ?)`,
      [
        CardAuthorizationStatus.CAPTURED,
        CardAuthorizationStatus.APPROVED,
        WalletHoldStatus.ACTIVE,
        now,
        cardId,
        startOfUtcDay(now),
        CardAuthorizationStatus.APPROVED,
        CardAuthorizationStatus.CAPTURED,
      ],
    )) as { spent: string | number }[];
    return Number(rows[0]?.spent ?? 0);
  }

  /** A number no card has: declined, and recorded so a retry reads the same. */
  private async recordUnknownCard(
    request: CardNetworkAuthorizationRequest,
    requestHash: string,
    actor: AuditActor,
  ): Promise<CardAuthorizationEntity> {
    return withTransaction(this.dataSource, async (tx) => {
      const id = randomUUID();
      await tx.insert(CardAuthorizationEntity, {
        id,
        networkAuthorizationId: request.id,
        requestHash,
        cardId: null,
        walletId: null,
        amountMinor: request.amountMinor,
        currency: request.currency,
        status: CardAuthorizationStatus.DECLINED,
        declineCode: CardDeclineCode.CARD_NOT_FOUND,
        authorizationCode: null,
        holdId: null,
        capturedMinor: 0,
        ...this.merchantOf(request),
        settledAt: null,
      });
      await this.audit.record(tx, {
        actor,
        action: 'card.authorization.decline',
        objectType: 'card_authorization',
        objectId: id,
        merchantId: null,
        details: {
          networkId: request.id,
          // The number is nobody's card: not even its last four digits are kept.
          amountMinor: request.amountMinor,
          currency: request.currency,
          declineCode: CardDeclineCode.CARD_NOT_FOUND,
          merchant: this.merchantOf(request),
        },
      });
      return tx.findOneByOrFail(CardAuthorizationEntity, { id });
    });
  }

  private replay(row: CardAuthorizationEntity, requestHash: string): AuthorizationDecision {
    if (!constantTimeEqual(row.requestHash, requestHash)) {
      throw new CardError(
        CardErrorCode.CARD_AUTHORIZATION_MISMATCH,
        `Authorization ${row.networkAuthorizationId} was already decided for another card, expiry, amount or currency`,
        { networkAuthorizationId: row.networkAuthorizationId },
      );
    }
    return toDecision(row);
  }

  /** What a retry must repeat exactly (the CVV is left out: it is never kept in any form). */
  private requestHash(fingerprint: string, request: CardNetworkAuthorizationRequest): string {
    return createHmac('sha256', this.config.panLookupKey)
      .update(
        JSON.stringify([
          'card-authorization',
          fingerprint,
          request.expYear,
          request.expMonth,
          request.amountMinor,
          request.currency,
        ]),
      )
      .digest('hex');
  }

  private merchantOf(request: CardNetworkAuthorizationRequest) {
    return {
      merchantName: request.merchant.name,
      merchantCategoryCode: request.merchant.categoryCode,
      merchantCountry: request.merchant.country,
    };
  }

  // ---- capture and reversal ----

  /**
   * Pays `amountMinor` (at most the authorized amount) from the wallet to the card network's
   * settlement account; the rest of the hold is released. Allowed on a frozen or closed card: the
   * money was promised before. The same amount again returns the first result.
   */
  async capture(
    networkAuthorizationId: string,
    amountMinor: number,
    actor: AuditActor,
  ): Promise<SettlementResult> {
    const found = await this.findApprovedOrThrow(networkAuthorizationId, 'capture');
    const outcome = await withTransaction(this.dataSource, async (tx): Promise<Settled> => {
      const row = await this.lockAuthorization(tx, found);
      if (row.status === CardAuthorizationStatus.CAPTURED) {
        if (row.capturedMinor !== amountMinor) {
          throw new CardError(
            CardErrorCode.CARD_CAPTURE_MISMATCH,
            `Authorization ${networkAuthorizationId} was already captured for ${row.capturedMinor}`,
            { capturedMinor: row.capturedMinor },
          );
        }
        return { kind: 'settled', row };
      }
      if (row.status !== CardAuthorizationStatus.APPROVED) throw this.notCapturable(row);
      const lapsed = await this.settleIfLapsed(tx, row, actor);
      if (lapsed) return { kind: 'lapsed', row: lapsed };
      if (amountMinor > row.amountMinor) {
        throw new CardError(
          CardErrorCode.CARD_CAPTURE_EXCEEDS_AUTHORIZATION,
          `Only ${row.amountMinor} was authorized; cannot capture ${amountMinor}`,
          { authorizedMinor: row.amountMinor },
        );
      }
      await this.transition(tx, row, CardAuthorizationStatus.CAPTURED, {
        capturedMinor: amountMinor,
      });
      await this.audit.record(tx, {
        actor,
        action: 'card.authorization.capture',
        objectType: 'card_authorization',
        objectId: row.id,
        merchantId: null,
        details: {
          networkId: networkAuthorizationId,
          cardId: row.cardId,
          walletId: row.walletId,
          authorizedMinor: row.amountMinor,
          capturedMinor: amountMinor,
          releasedMinor: row.amountMinor - amountMinor,
          currency: row.currency,
        },
      });
      // Last: the hold capture posts the ledger journal, whose locks come after ours.
      await this.holds.captureHold(
        row.holdId!,
        amountMinor,
        cardNetworkSettlementAccount(row.currency),
        actor,
        tx,
      );
      return {
        kind: 'settled',
        row: await tx.findOneByOrFail(CardAuthorizationEntity, { id: row.id }),
      };
    });
    if (outcome.kind === 'lapsed') throw this.notCapturable(outcome.row);
    return toSettlement(outcome.row);
  }

  /**
   * Releases the hold of an approved authorization. Repeating it is harmless; after a capture it
   * is refused. An authorization whose hold already lapsed answers EXPIRED (nothing is held).
   */
  async reverse(networkAuthorizationId: string, actor: AuditActor): Promise<SettlementResult> {
    const found = await this.findApprovedOrThrow(networkAuthorizationId, 'reverse');
    const row = await withTransaction(this.dataSource, async (tx) => {
      const locked = await this.lockAuthorization(tx, found);
      if (
        locked.status === CardAuthorizationStatus.REVERSED ||
        locked.status === CardAuthorizationStatus.EXPIRED
      ) {
        return locked;
      }
      if (locked.status !== CardAuthorizationStatus.APPROVED) {
        throw new CardError(
          CardErrorCode.CARD_AUTHORIZATION_NOT_REVERSIBLE,
          `Authorization ${networkAuthorizationId} is ${locked.status}; it cannot be reversed`,
          { status: locked.status },
        );
      }
      const lapsed = await this.settleIfLapsed(tx, locked, actor);
      if (lapsed) return lapsed;
      await this.transition(tx, locked, CardAuthorizationStatus.REVERSED);
      await this.audit.record(tx, {
        actor,
        action: 'card.authorization.reverse',
        objectType: 'card_authorization',
        objectId: locked.id,
        merchantId: null,
        details: {
          networkId: networkAuthorizationId,
          cardId: locked.cardId,
          walletId: locked.walletId,
          amountMinor: locked.amountMinor,
          currency: locked.currency,
        },
      });
      await this.holds.releaseHold(locked.holdId!, actor, tx);
      return tx.findOneByOrFail(CardAuthorizationEntity, { id: locked.id });
    });
    return toSettlement(row);
  }

  /** Unknown: 404. Declined: nothing to capture or reverse (409). */
  private async findApprovedOrThrow(
    networkAuthorizationId: string,
    operation: 'capture' | 'reverse',
  ): Promise<CardAuthorizationEntity> {
    const row = await this.authorizations.findOneBy({ networkAuthorizationId });
    if (!row) {
      throw new CardError(
        CardErrorCode.CARD_AUTHORIZATION_NOT_FOUND,
        `No authorization ${networkAuthorizationId}`,
      );
    }
    if (row.status === CardAuthorizationStatus.DECLINED || !row.holdId || !row.walletId) {
      throw new CardError(
        operation === 'capture'
          ? CardErrorCode.CARD_AUTHORIZATION_NOT_CAPTURABLE
          : CardErrorCode.CARD_AUTHORIZATION_NOT_REVERSIBLE,
        `Authorization ${networkAuthorizationId} was declined; there is nothing to ${operation}`,
        { status: row.status },
      );
    }
    return row;
  }

  /** The wallet row, then the authorization row. */
  private async lockAuthorization(
    tx: EntityManager,
    row: CardAuthorizationEntity,
  ): Promise<CardAuthorizationEntity> {
    await this.wallets.lockWallets(tx, [row.walletId!]);
    return tx
      .getRepository(CardAuthorizationEntity)
      .createQueryBuilder('auth')
      .where('auth.id = :id', { id: row.id })
      .setLock('pessimistic_write')
      .getOneOrFail();
  }

  /**
   * If the approval's hold is gone (lapsed, swept, or released by staff), records what became of
   * it and returns the updated row; otherwise null. Runs under the wallet lock, which the sweep
   * takes too, so the hold cannot change meanwhile.
   */
  private async settleIfLapsed(
    tx: EntityManager,
    row: CardAuthorizationEntity,
    actor: AuditActor,
  ): Promise<CardAuthorizationEntity | null> {
    const hold = await tx.findOneBy(WalletHoldEntity, { id: row.holdId! });
    const status = effectiveAuthorizationStatus(row.status, hold);
    if (status === row.status) return null;
    await this.transition(tx, row, status);
    await this.audit.record(tx, {
      actor,
      action:
        status === CardAuthorizationStatus.EXPIRED
          ? 'card.authorization.expire'
          : 'card.authorization.reverse',
      objectType: 'card_authorization',
      objectId: row.id,
      merchantId: null,
      details: {
        networkId: row.networkAuthorizationId,
        cardId: row.cardId,
        walletId: row.walletId,
        holdId: row.holdId,
        holdStatus: hold?.status ?? null,
      },
    });
    return tx.findOneByOrFail(CardAuthorizationEntity, { id: row.id });
  }

  /**
   * The one place an authorization's status changes: checked against the transition table, and
   * written only if the row still has the status it was read with (it is locked, so it must).
   */
  private async transition(
    tx: EntityManager,
    row: CardAuthorizationEntity,
    to: CardAuthorizationStatus,
    changes: { capturedMinor?: number } = {},
  ): Promise<void> {
    assertAuthorizationTransition(row.status, to);
    const result = await tx.update(
      CardAuthorizationEntity,
      { id: row.id, status: row.status },
      { ...changes, status: to, settledAt: new Date() },
    );
    if (result.affected !== 1) {
      throw new Error(`Card authorization ${row.id} was no longer ${row.status} when settling it`);
    }
  }

  private notCapturable(row: CardAuthorizationEntity): CardError {
    return new CardError(
      row.status === CardAuthorizationStatus.EXPIRED
        ? CardErrorCode.CARD_AUTHORIZATION_EXPIRED
        : CardErrorCode.CARD_AUTHORIZATION_NOT_CAPTURABLE,
      `Authorization ${row.networkAuthorizationId} is ${row.status}; it cannot be captured`,
      { status: row.status },
    );
  }
}

function constantTimeEqual(given: string, expected: string): boolean {
  const left = Buffer.from(given, 'utf8');
  const right = Buffer.from(expected, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function toDecision(row: CardAuthorizationEntity): AuthorizationDecision {
  if (row.declineCode === null) {
    return {
      id: row.networkAuthorizationId,
      approved: true,
      authorizationCode: row.authorizationCode ?? undefined,
      message: 'Approved',
    };
  }
  return {
    id: row.networkAuthorizationId,
    approved: false,
    declineCode: row.declineCode,
    message: CARD_DECLINE_MESSAGES[row.declineCode],
  };
}

export function toSettlement(row: CardAuthorizationEntity): SettlementResult {
  const captured = row.status === CardAuthorizationStatus.CAPTURED ? row.capturedMinor : 0;
  return {
    id: row.networkAuthorizationId,
    status: row.status,
    amountMinor: row.amountMinor,
    capturedMinor: captured,
    releasedMinor: row.amountMinor - captured,
    currency: row.currency,
  };
}
