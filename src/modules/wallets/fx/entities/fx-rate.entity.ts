import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../../database/columns';

/**
 * The admin-set rate for one direction of a currency pair: 1 unit of `baseCurrency` buys `rate`
 * units of `quoteCurrency`. Only that direction converts; the reverse needs its own row. Earlier
 * values live in the audit log (`fx_rate.set`, object id `BASE/QUOTE`).
 */
@Entity({ name: 'fx_rates' })
@Index('uq_fx_rates__base_currency_quote_currency', ['baseCurrency', 'quoteCurrency'], {
  unique: true,
})
@Index('idx_fx_rates__created_at_id', ['createdAt', 'id'])
export class FxRateEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 3 })
  baseCurrency: string;

  @Column({ type: 'char', length: 3 })
  quoteCurrency: string;

  /** A decimal string as the driver returns it ("129.450000000000"); parse with parseFxRate. */
  @Column({ type: 'decimal', precision: 30, scale: 12 })
  rate: string;

  /** The conversion fee in basis points of the converted amount (0 to 2000). */
  @Column({ type: 'int' })
  feeBps: number;

  /** The admin who set the current value. */
  @Column({ type: 'char', length: 36 })
  setBy: string;

  @CreatedAtColumn()
  createdAt: Date;

  /** When the current value was set; the rate is stale WALLET_FX_RATE_MAX_AGE_SECONDS later. */
  @UpdatedAtColumn()
  updatedAt: Date;
}
