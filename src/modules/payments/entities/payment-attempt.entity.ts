import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { GatewayReference } from '../../../gateways/payment-gateway';
import { PaymentAttemptStatus } from '../payment-attempt-status';

/** One try of a payment at one gateway, with why that gateway was chosen. */
@Entity({ name: 'payment_attempts' })
@Index('idx_payment_attempts__payment_id', ['paymentId'])
@Index('idx_payment_attempts__gateway_reference', ['gatewayCode', 'gatewayReferenceId'])
export class PaymentAttemptEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  paymentId: string;

  @Column({ type: 'varchar', length: 16 })
  gatewayCode: string;

  @Column({ type: 'varchar', length: 16 })
  status: PaymentAttemptStatus;

  @Column({ type: 'varchar', length: 255 })
  routeReason: string;

  /** The gateway's primary handle (PaymentIntent id, PayPal order id, CheckoutRequestID…). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  gatewayReferenceId: string | null;

  @Column({ type: 'simple-json', nullable: true })
  gatewayReference: GatewayReference | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  declineCode: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  message: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
