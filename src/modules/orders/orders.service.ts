import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import {
  DataSource,
  LessThanOrEqual,
  Repository,
  type EntityManager,
  type FindOptionsWhere,
} from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import type { Connection } from '../../common/graphql/pagination';
import { isCurrencyCode } from '../../common/money/money';
import { findKeysetPage } from '../../database/keyset-page';
import { isDuplicateKeyError, withTransaction } from '../../database/transaction';
import { UsersService } from '../users/users.service';
import { Role } from '../users/role';
import { OrderLineItemEntity } from './entities/order-line-item.entity';
import { OrderEntity } from './entities/order.entity';
import { canOrderMove, orderStatusFromTotals, OrderStatus } from './order-status';
import { ordersConfig } from './orders.config';
import { OrderError, OrderErrorCode } from './orders.errors';

export interface NewOrder {
  currency: string;
  lineItems: { name: string; sku?: string; quantity: number; unitAmountMinor: number }[];
  reference?: string;
  description?: string;
  customerId?: string;
  customerEmail?: string;
  expiresInSeconds?: number;
}

export interface OrderFilter {
  status?: OrderStatus;
  first: number;
  after?: string;
}

@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly usersService: UsersService,
    @Inject(ordersConfig.KEY) private readonly config: ConfigType<typeof ordersConfig>,
  ) {}

  async create(caller: AuthUser, input: NewOrder): Promise<OrderEntity> {
    return this.createFor(this.merchantOf(caller), input);
  }

  /** Creates an order for a merchant chosen by the platform (e.g. the wallet top-up merchant). */
  async createFor(merchantId: string, input: NewOrder): Promise<OrderEntity> {
    if (!isCurrencyCode(input.currency)) {
      throw new OrderError(
        OrderErrorCode.ORDER_UNSUPPORTED_CURRENCY,
        `Unknown currency "${input.currency}"`,
      );
    }
    const lines = input.lineItems.map((item, position) => {
      const total = item.quantity * item.unitAmountMinor;
      if (!Number.isSafeInteger(total)) {
        throw new OrderError(
          OrderErrorCode.ORDER_INVALID_AMOUNT,
          `Line ${position + 1} total is too large`,
        );
      }
      return { ...item, position, total };
    });
    const totalMinor = lines.reduce((sum, line) => sum + line.total, 0);
    if (!Number.isSafeInteger(totalMinor) || totalMinor <= 0) {
      throw new OrderError(
        OrderErrorCode.ORDER_INVALID_AMOUNT,
        'The order total must be a positive safe integer',
      );
    }
    const customerId = await this.resolveCustomer(input);
    const orderId = randomUUID();
    const ttl = input.expiresInSeconds ?? this.config.defaultTtlSeconds;
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(OrderEntity, {
          id: orderId,
          merchantId,
          customerId,
          reference: input.reference ?? null,
          description: input.description ?? null,
          currency: input.currency,
          totalMinor,
          status: OrderStatus.PENDING,
          expiresAt: new Date(Date.now() + ttl * 1000),
          paidAt: null,
        });
        await manager.insert(
          OrderLineItemEntity,
          lines.map((line) => ({
            id: randomUUID(),
            orderId,
            position: line.position,
            name: line.name,
            sku: line.sku ?? null,
            quantity: line.quantity,
            unitAmountMinor: line.unitAmountMinor,
            totalMinor: line.total,
          })),
        );
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new OrderError(
          OrderErrorCode.ORDER_REFERENCE_TAKEN,
          `An order with reference "${input.reference}" already exists`,
        );
      }
      throw error;
    }
    return this.findByIdOrThrow(orderId);
  }

  async findByIdOrThrow(id: string, manager?: EntityManager): Promise<OrderEntity> {
    const order = await (manager ?? this.dataSource.manager).findOne(OrderEntity, {
      where: { id },
      relations: { lineItems: true },
    });
    if (!order) throw new OrderError(OrderErrorCode.ORDER_NOT_FOUND, 'Order not found');
    return order;
  }

  /** The order as the caller may see it: their merchant's, their own as a customer, anything for staff. */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<OrderEntity> {
    const order = await this.orders.findOne({ where: { id }, relations: { lineItems: true } });
    if (!order || !this.canSee(caller, order)) {
      throw new OrderError(OrderErrorCode.ORDER_NOT_FOUND, 'Order not found');
    }
    return order;
  }

  canSee(caller: AuthUser, order: { merchantId: string; customerId: string | null }): boolean {
    if (caller.role === Role.ADMIN || caller.role === Role.SUPPORT) return true;
    if (caller.role === Role.MERCHANT) return caller.merchantId === order.merchantId;
    return caller.userId === order.customerId;
  }

  async list(caller: AuthUser, filter: OrderFilter): Promise<Connection<OrderEntity>> {
    const where: FindOptionsWhere<OrderEntity> = {};
    if (caller.role === Role.MERCHANT) where.merchantId = this.merchantOf(caller);
    else if (caller.role === Role.CUSTOMER) where.customerId = caller.userId;
    if (filter.status) where.status = filter.status;
    const page = await findKeysetPage(this.orders, where, filter.first, filter.after);
    const ids = page.edges.map((edge) => edge.node.id);
    if (ids.length === 0) return page;
    const items = await this.dataSource.manager.find(OrderLineItemEntity, {
      where: ids.map((orderId) => ({ orderId })),
    });
    for (const edge of page.edges)
      edge.node.lineItems = items.filter((i) => i.orderId === edge.node.id);
    return page;
  }

  /** Locks the order row for the rest of the caller's transaction. */
  async lockOrThrow(manager: EntityManager, id: string): Promise<OrderEntity> {
    const order = await manager.findOne(OrderEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!order) throw new OrderError(OrderErrorCode.ORDER_NOT_FOUND, 'Order not found');
    return order;
  }

  /** Refuses unless the order can take a new payment now. */
  assertPayable(order: OrderEntity, now = new Date()): void {
    if (order.status !== OrderStatus.PENDING) {
      throw new OrderError(
        OrderErrorCode.ORDER_NOT_PAYABLE,
        `The order is ${order.status}, not payable`,
        {
          status: order.status,
        },
      );
    }
    if (order.expiresAt.getTime() <= now.getTime()) {
      throw new OrderError(OrderErrorCode.ORDER_NOT_PAYABLE, 'The order has expired');
    }
  }

  /**
   * Brings the order's status in line with its payments' captured and refunded totals, inside the
   * caller's transaction (which holds the payment lock; the order lock is taken after it). Returns
   * the new status when it changed.
   */
  async syncWithPayments(
    manager: EntityManager,
    orderId: string,
    totals: { capturedMinor: number; refundedMinor: number },
  ): Promise<OrderStatus | null> {
    const order = await this.lockOrThrow(manager, orderId);
    const next = orderStatusFromTotals(order.status, totals.capturedMinor, totals.refundedMinor);
    if (next === order.status || !canOrderMove(order.status, next)) return null;
    const paidAt = order.paidAt ?? (next === OrderStatus.PAID ? new Date() : null);
    await manager.update(OrderEntity, { id: orderId }, { status: next, paidAt });
    return next;
  }

  /**
   * Cancels an unpaid order. `hasOpenPayment` and `onCancelled` run inside the transaction that
   * holds the order lock (the payments module checks its payments and records the outbox event).
   */
  async cancel(
    caller: AuthUser,
    id: string,
    hasOpenPayment: (manager: EntityManager) => Promise<boolean>,
    onCancelled: (manager: EntityManager, order: OrderEntity) => Promise<void> = () =>
      Promise.resolve(),
  ): Promise<OrderEntity> {
    await this.findVisibleOrThrow(caller, id);
    await withTransaction(this.dataSource, async (manager) => {
      const order = await this.lockOrThrow(manager, id);
      if (!canOrderMove(order.status, OrderStatus.CANCELLED) || (await hasOpenPayment(manager))) {
        throw new OrderError(
          OrderErrorCode.ORDER_INVALID_STATUS_CHANGE,
          order.status === OrderStatus.PENDING
            ? 'The order has a payment in progress; cancel the payment first'
            : `A ${order.status} order cannot be cancelled`,
        );
      }
      await manager.update(OrderEntity, { id }, { status: OrderStatus.CANCELLED });
      await onCancelled(manager, { ...order, status: OrderStatus.CANCELLED });
    });
    return this.findByIdOrThrow(id);
  }

  /** Unpaid orders past their expiry, oldest first. */
  dueForExpiry(now: Date, limit: number): Promise<OrderEntity[]> {
    return this.orders.find({
      where: { status: OrderStatus.PENDING, expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: limit,
    });
  }

  /**
   * Expires one order unless a payment for it is still open (checked under the order lock, which
   * payment creation also takes). Returns whether it expired.
   */
  async expire(
    manager: EntityManager,
    id: string,
    hasOpenPayment: (manager: EntityManager) => Promise<boolean>,
    now = new Date(),
  ): Promise<OrderEntity | null> {
    const order = await this.lockOrThrow(manager, id);
    if (order.status !== OrderStatus.PENDING || order.expiresAt.getTime() > now.getTime())
      return null;
    if (await hasOpenPayment(manager)) return null;
    await manager.update(OrderEntity, { id }, { status: OrderStatus.EXPIRED });
    return { ...order, status: OrderStatus.EXPIRED };
  }

  private merchantOf(caller: AuthUser): string {
    if (!caller.merchantId) {
      throw new OrderError(OrderErrorCode.ORDER_MERCHANT_REQUIRED, 'Only a merchant can do this');
    }
    return caller.merchantId;
  }

  private async resolveCustomer(input: NewOrder): Promise<string | null> {
    if (!input.customerId && !input.customerEmail) return null;
    const user = input.customerId
      ? await this.usersService.findByIdOrThrow(input.customerId).catch(() => null)
      : await this.usersService.findByEmail(input.customerEmail!);
    if (
      !user ||
      (input.customerId && input.customerEmail && user.email !== input.customerEmail.toLowerCase())
    ) {
      throw new OrderError(OrderErrorCode.ORDER_CUSTOMER_NOT_FOUND, 'No such customer');
    }
    return user.id;
  }
}
