/** Where an order stands; it follows its payments. */
export enum OrderStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: [OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.EXPIRED],
  PAID: [OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED],
  PARTIALLY_REFUNDED: [OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED],
  REFUNDED: [],
  CANCELLED: [],
  // A payment the gateway completed after the order expired is still money received.
  EXPIRED: [OrderStatus.PAID],
};

export const canOrderMove = (from: OrderStatus, to: OrderStatus): boolean =>
  from === to || ORDER_TRANSITIONS[from].includes(to);

/** The status an order's money says it should have: captured and refunded totals over all its payments. */
export function orderStatusFromTotals(
  current: OrderStatus,
  capturedMinor: number,
  refundedMinor: number,
): OrderStatus {
  if (capturedMinor <= 0) return current;
  if (refundedMinor >= capturedMinor) return OrderStatus.REFUNDED;
  if (refundedMinor > 0) return OrderStatus.PARTIALLY_REFUNDED;
  return OrderStatus.PAID;
}
