import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';

/**
 * A merchant's switch for one gateway. Credentials are named by reference (a secret-store key),
 * never stored here. A merchant with no rows may use every gateway the platform enables.
 */
@Entity({ name: 'merchant_gateways' })
@Index('uq_merchant_gateways__merchant_gateway', ['merchantId', 'gatewayCode'], { unique: true })
export class MerchantGatewayEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 16 })
  gatewayCode: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  credentialsRef: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
