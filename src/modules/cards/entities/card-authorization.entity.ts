import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { CardAuthorizationStatus, CardDeclineCode } from '../card-authorization-status';

/**
 * Every decision on an authorization request from the card network, approved or declined. The
 * network's id is unique, so a retried request finds its first decision.
 */
@Entity({ name: 'card_authorizations' })
@Index('uq_card_authorizations__network_authorization_id', ['networkAuthorizationId'], {
  unique: true,
})
// A card's authorizations newest first, and its daily total.
@Index('idx_card_authorizations__card_id_created_at', ['cardId', 'createdAt'])
@Index('idx_card_authorizations__created_at_id', ['createdAt', 'id'])
export class CardAuthorizationEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** The network's own id for the authorization. */
  @Column({ type: 'varchar', length: 100 })
  networkAuthorizationId: string;

  /** HMAC of what identifies the request (card, expiry, amount, currency): a retry must match it. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  /** Null when no card has the number sent. */
  @Column({ type: 'char', length: 36, nullable: true })
  cardId: string | null;

  @Column({ type: 'char', length: 36, nullable: true })
  walletId: string | null;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 10 })
  status: CardAuthorizationStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  declineCode: CardDeclineCode | null;

  /** Given to the network with an approval. */
  @Column({ type: 'char', length: 6, nullable: true })
  authorizationCode: string | null;

  /** The wallet hold that reserves an approved amount. */
  @Column({ type: 'char', length: 36, nullable: true })
  holdId: string | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintMinorUnits })
  capturedMinor: number;

  @Column({ type: 'varchar', length: 100 })
  merchantName: string;

  /** ISO 18245 merchant category code. */
  @Column({ type: 'char', length: 4 })
  merchantCategoryCode: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  merchantCountry: string;

  /** When it was captured, reversed or found expired. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  settledAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
