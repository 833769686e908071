import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager, Repository } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { EncryptionService } from '../../common/crypto/encryption.service';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { isDuplicateKeyError, withTransaction } from '../../database/transaction';
import type { AuditActor } from '../audit/audit.types';
import { AuditService } from '../audit/audit.service';
import { Role, STAFF_ROLES } from '../users/role';
import { WalletEntity } from '../wallets/entities/wallet.entity';
import { WalletHoldEntity } from '../wallets/entities/wallet-hold.entity';
import { WalletStatus } from '../wallets/wallet-status';
import { WalletsService } from '../wallets/wallets.service';
import { CardAuthorizationStatus, effectiveAuthorizationStatus } from './card-authorization-status';
import {
  brandForBin,
  deriveCvv,
  expiryFrom,
  generatePan,
  last4Of,
  panFingerprint,
} from './card-number';
import { cardsConfig } from './cards.config';
import { CardError, CardErrorCode } from './cards.errors';
import { CardAuthorizationEntity } from './entities/card-authorization.entity';
import { VirtualCardEntity } from './entities/virtual-card.entity';
import { canTransitionCard, VirtualCardStatus } from './virtual-card-status';

export interface IssueCardRequest {
  readonly walletId: string;
  readonly label?: string | null;
  readonly perTransactionLimitMinor?: number | null;
  readonly dailyLimitMinor?: number | null;
}

/** The result of issuing: the only time the number and CVV leave the service. */
export interface IssuedCard {
  readonly card: VirtualCardEntity;
  readonly number: string;
  readonly cvv: string;
}

/** Undefined: unchanged; null: no limit. */
export interface CardLimitsChange {
  readonly perTransactionLimitMinor?: number | null;
  readonly dailyLimitMinor?: number | null;
}

export interface PageRequest {
  readonly first: number;
  readonly after?: string;
}

/** An authorization with the status it effectively has now (see effectiveAuthorizationStatus). */
export interface AuthorizationView {
  readonly authorization: CardAuthorizationEntity;
  readonly status: CardAuthorizationStatus;
}

// A fingerprint collision between two random PANs is rare; this many in a row means the BIN is full.
const MAX_NUMBER_ATTEMPTS = 5;

/** Binds each encrypted PAN to its row, so a ciphertext copied to another card is refused. */
export const panAad = (cardId: string): string => `virtual_card:${cardId}:number`;

/**
 * Virtual cards: issuing (PAN encrypted, CVV derived and shown once), status and limits, and the
 * holder's and staff's reads. Every writer locks the wallet row, then the card row.
 */
@Injectable()
export class VirtualCardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(VirtualCardEntity) private readonly cards: Repository<VirtualCardEntity>,
    @InjectRepository(CardAuthorizationEntity)
    private readonly authorizations: Repository<CardAuthorizationEntity>,
    private readonly wallets: WalletsService,
    private readonly audit: AuditService,
    private readonly encryption: EncryptionService,
    @Inject(cardsConfig.KEY) private readonly config: ConfigType<typeof cardsConfig>,
  ) {}

  // ---- issuing ----

  async issue(caller: AuthUser, request: IssueCardRequest, actor: AuditActor): Promise<IssuedCard> {
    this.assertLimit('perTransactionLimitMinor', request.perTransactionLimitMinor);
    this.assertLimit('dailyLimitMinor', request.dailyLimitMinor);
    const label = request.label?.trim() || null;
    if (label && label.length > 100) throw this.invalid('label', 'must be at most 100 characters');
    // Only the wallet's owner may issue on it; anyone else is told it does not exist.
    const owned = await this.dataSource.manager.findOneBy(WalletEntity, { id: request.walletId });
    if (!owned || owned.userId !== caller.userId) throw this.walletNotFound(request.walletId);

    return withTransaction(this.dataSource, async (tx) => {
      const wallet = (await this.wallets.lockWallets(tx, [owned.id])).get(owned.id)!;
      if (wallet.status === WalletStatus.FROZEN) {
        throw new CardError(CardErrorCode.CARD_WALLET_FROZEN, 'The wallet is frozen', {
          walletId: wallet.id,
        });
      }
      // Open = not closed and not past its expiry month (an expired card can never be used again).
      const now = new Date();
      const open = await tx
        .getRepository(VirtualCardEntity)
        .createQueryBuilder('card')
        .where('card.walletId = :walletId', { walletId: wallet.id })
        .andWhere('card.status <> :closed', { closed: VirtualCardStatus.CLOSED })
        .andWhere('(card.expYear > :year OR (card.expYear = :year AND card.expMonth >= :month))', {
          year: now.getUTCFullYear(),
          month: now.getUTCMonth() + 1,
        })
        .getCount();
      if (open >= this.config.maxActivePerWallet) {
        throw new CardError(
          CardErrorCode.CARD_ACTIVE_LIMIT_REACHED,
          `A wallet may have at most ${this.config.maxActivePerWallet} open cards; close one first`,
          { maxOpenCards: this.config.maxActivePerWallet },
        );
      }
      const { expMonth, expYear } = expiryFrom(new Date(), this.config.validityMonths);
      const id = randomUUID();
      const number = await this.insertWithFreshNumber(tx, {
        id,
        walletId: wallet.id,
        userId: wallet.userId,
        currency: wallet.currency,
        brand: brandForBin(this.config.bin),
        expMonth,
        expYear,
        status: VirtualCardStatus.ACTIVE,
        frozenByStaff: false,
        perTransactionLimitMinor: request.perTransactionLimitMinor ?? null,
        dailyLimitMinor: request.dailyLimitMinor ?? null,
        label,
        closedAt: null,
      });
      const card = await tx.findOneByOrFail(VirtualCardEntity, { id });
      await this.audit.record(tx, {
        actor,
        action: 'card.issue',
        objectType: 'virtual_card',
        objectId: id,
        merchantId: null,
        details: {
          walletId: wallet.id,
          last4: card.last4,
          brand: card.brand,
          currency: card.currency,
          expMonth,
          expYear,
          perTransactionLimitMinor: card.perTransactionLimitMinor,
          dailyLimitMinor: card.dailyLimitMinor,
        },
      });
      return {
        card,
        number,
        cvv: deriveCvv(this.config.cvvKey, number, expYear, expMonth),
      };
    });
  }

  /** Inserts the card with a new PAN, drawing again if its fingerprint is taken. Returns the PAN. */
  private async insertWithFreshNumber(
    tx: EntityManager,
    row: Omit<
      VirtualCardEntity,
      'numberEncrypted' | 'panFingerprint' | 'last4' | 'createdAt' | 'updatedAt'
    >,
  ): Promise<string> {
    for (let attempt = 1; attempt <= MAX_NUMBER_ATTEMPTS; attempt++) {
      const number = generatePan(this.config.bin);
      try {
        await tx.insert(VirtualCardEntity, {
          ...row,
          numberEncrypted: this.encryption.encrypt(number, panAad(row.id)),
          panFingerprint: panFingerprint(this.config.panLookupKey, number),
          last4: last4Of(number),
        });
        return number;
      } catch (error) {
        // Only the statement failed: the transaction and its locks are still ours.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new CardError(
      CardErrorCode.CARD_NUMBER_EXHAUSTED,
      'Could not draw an unused card number; try again',
    );
  }

  // ---- reads ----

  /** The holder or staff; anyone else is told the card does not exist. */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<VirtualCardEntity> {
    const card = await this.cards.findOneBy({ id });
    if (!card || !(STAFF_ROLES.includes(caller.role) || card.userId === caller.userId)) {
      throw this.cardNotFound(id);
    }
    return card;
  }

  /** The holder or an admin. */
  async findManageableOrThrow(caller: AuthUser, id: string): Promise<VirtualCardEntity> {
    const card = await this.cards.findOneBy({ id });
    if (!card || !(caller.role === Role.ADMIN || card.userId === caller.userId)) {
      throw this.cardNotFound(id);
    }
    return card;
  }

  /** A wallet's cards, newest first (its owner, or staff). */
  async list(
    caller: AuthUser,
    walletId: string,
    page: PageRequest,
  ): Promise<Connection<VirtualCardEntity>> {
    const wallet = await this.dataSource.manager.findOneBy(WalletEntity, { id: walletId });
    if (!wallet || !(STAFF_ROLES.includes(caller.role) || wallet.userId === caller.userId)) {
      throw this.walletNotFound(walletId);
    }
    return findKeysetPage(this.cards, { walletId }, page.first, page.after);
  }

  /** A card's authorizations, newest first, each with its effective status. */
  async listAuthorizations(
    caller: AuthUser,
    cardId: string,
    page: PageRequest,
    now = new Date(),
  ): Promise<Connection<AuthorizationView>> {
    await this.findVisibleOrThrow(caller, cardId);
    const result = await findKeysetPage(this.authorizations, { cardId }, page.first, page.after);
    const holdIds = result.edges.flatMap((edge) => (edge.node.holdId ? [edge.node.holdId] : []));
    const holds =
      holdIds.length > 0
        ? await this.dataSource.manager.findBy(WalletHoldEntity, { id: In(holdIds) })
        : [];
    const holdById = new Map(holds.map((hold) => [hold.id, hold]));
    return {
      ...result,
      edges: result.edges.map((edge) => ({
        cursor: edge.cursor,
        node: {
          authorization: edge.node,
          status: effectiveAuthorizationStatus(
            edge.node.status,
            edge.node.holdId ? holdById.get(edge.node.holdId) : null,
            now,
          ),
        },
      })),
    };
  }

  // ---- status and limits ----

  /**
   * Freezes, unfreezes or closes a card (the holder or an admin). A card frozen by staff may only
   * be unfrozen by an admin. Asking for the status it already has changes nothing.
   */
  async setStatus(
    caller: AuthUser,
    cardId: string,
    status: VirtualCardStatus,
    actor: AuditActor,
  ): Promise<VirtualCardEntity> {
    const found = await this.findManageableOrThrow(caller, cardId);
    return withTransaction(this.dataSource, async (tx) => {
      const card = await this.lockCard(tx, found);
      if (
        status === VirtualCardStatus.ACTIVE &&
        card.status === VirtualCardStatus.FROZEN &&
        card.frozenByStaff &&
        caller.role !== Role.ADMIN
      ) {
        throw new CardError(
          CardErrorCode.CARD_FROZEN_BY_STAFF,
          'This card was frozen by staff; only an admin can unfreeze it',
          { cardId },
        );
      }
      // An admin freezing a card its holder already froze takes the freeze over: otherwise the
      // admin's freeze would change nothing and the holder could lift it at once.
      const staffTakesOverFreeze =
        status === VirtualCardStatus.FROZEN &&
        card.status === VirtualCardStatus.FROZEN &&
        !card.frozenByStaff &&
        caller.role === Role.ADMIN;
      if (card.status === status && !staffTakesOverFreeze) return card;
      if (!staffTakesOverFreeze && !canTransitionCard(card.status, status)) {
        throw new CardError(
          card.status === VirtualCardStatus.CLOSED
            ? CardErrorCode.CARD_CLOSED
            : CardErrorCode.CARD_INVALID_STATUS_CHANGE,
          `A ${card.status} card cannot become ${status}`,
          { cardId, status: card.status },
        );
      }
      const now = new Date();
      const frozenByStaff = status === VirtualCardStatus.FROZEN && caller.role === Role.ADMIN;
      await tx.update(
        VirtualCardEntity,
        { id: card.id },
        {
          status,
          frozenByStaff,
          ...(status === VirtualCardStatus.CLOSED ? { closedAt: now } : {}),
        },
      );
      await this.audit.record(tx, {
        actor,
        action:
          status === VirtualCardStatus.FROZEN
            ? 'card.freeze'
            : status === VirtualCardStatus.ACTIVE
              ? 'card.unfreeze'
              : 'card.close',
        objectType: 'virtual_card',
        objectId: card.id,
        merchantId: null,
        details: {
          walletId: card.walletId,
          last4: card.last4,
          from: card.status,
          to: status,
          frozenByStaff,
        },
      });
      return tx.findOneByOrFail(VirtualCardEntity, { id: card.id });
    });
  }

  /** Changes a card's limits (the holder or an admin); refused on a closed card. */
  async setLimits(
    caller: AuthUser,
    cardId: string,
    change: CardLimitsChange,
    actor: AuditActor,
  ): Promise<VirtualCardEntity> {
    this.assertLimit('perTransactionLimitMinor', change.perTransactionLimitMinor);
    this.assertLimit('dailyLimitMinor', change.dailyLimitMinor);
    const found = await this.findManageableOrThrow(caller, cardId);
    return withTransaction(this.dataSource, async (tx) => {
      const card = await this.lockCard(tx, found);
      if (card.status === VirtualCardStatus.CLOSED) {
        throw new CardError(CardErrorCode.CARD_CLOSED, 'The card is closed', { cardId });
      }
      const updates: CardLimitsChange = Object.fromEntries(
        Object.entries({
          perTransactionLimitMinor: change.perTransactionLimitMinor,
          dailyLimitMinor: change.dailyLimitMinor,
        }).filter(([, value]) => value !== undefined),
      );
      if (Object.keys(updates).length > 0) {
        await tx.update(VirtualCardEntity, { id: card.id }, updates);
      }
      await this.audit.record(tx, {
        actor,
        action: 'card.limits.update',
        objectType: 'virtual_card',
        objectId: card.id,
        merchantId: null,
        details: {
          walletId: card.walletId,
          last4: card.last4,
          before: {
            perTransactionLimitMinor: card.perTransactionLimitMinor,
            dailyLimitMinor: card.dailyLimitMinor,
          },
          after: updates,
        },
      });
      return tx.findOneByOrFail(VirtualCardEntity, { id: card.id });
    });
  }

  // ---- helpers ----

  /** The wallet row first, then the card row: the order every card writer uses. */
  async lockCard(
    tx: EntityManager,
    card: { id: string; walletId: string },
  ): Promise<VirtualCardEntity> {
    await this.wallets.lockWallets(tx, [card.walletId]);
    return tx
      .getRepository(VirtualCardEntity)
      .createQueryBuilder('card')
      .where('card.id = :id', { id: card.id })
      .setLock('pessimistic_write')
      .getOneOrFail();
  }

  private assertLimit(field: string, value: number | null | undefined): void {
    if (value === undefined || value === null) return;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw this.invalid(field, 'must be a positive integer (minor units)');
    }
  }

  private invalid(field: string, message: string): CardError {
    return new CardError(CardErrorCode.CARD_INVALID_INPUT, `${field} ${message}`, {
      fields: { [field]: [message] },
    });
  }

  private cardNotFound(id: string): CardError {
    return new CardError(CardErrorCode.CARD_NOT_FOUND, `No card ${id}`);
  }

  private walletNotFound(id: string): CardError {
    return new CardError(CardErrorCode.CARD_WALLET_NOT_FOUND, `No wallet ${id}`);
  }
}
