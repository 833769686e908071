import type { Money } from '../../../common/money/money';

/** The buyer's choice on the approval page; `decline` approves with a funding source that will be refused. */
export type BuyerChoice = 'approve' | 'decline' | 'pending' | 'cancel';

export interface SimOrder {
  id: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: string;
  referenceId: string;
  description?: string;
  customId?: string;
  invoiceId?: string;
  amount: Money;
  returnUrl?: string;
  cancelUrl?: string;
  brandName?: string;
  /** experience_context was sent: PayPal answers PAYER_ACTION_REQUIRED + payer-action. */
  payerAction: boolean;
  payerId?: string;
  buyerChoice?: BuyerChoice;
  captureIds: string[];
  authorizationIds: string[];
  createTime: string;
  updateTime: string;
}

export interface SimCapture {
  id: string;
  orderId: string;
  authorizationId?: string;
  status: string;
  statusReason?: string;
  amount: Money;
  finalCapture: boolean;
  customId?: string;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
}

export interface SimAuthorization {
  id: string;
  orderId: string;
  status: string;
  statusReason?: string;
  amount: Money;
  capturedMinor: number;
  customId?: string;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
  expirationTime: string;
}

export interface SimRefund {
  id: string;
  captureId: string;
  orderId: string;
  status: string;
  statusReason?: string;
  amount: Money;
  customId?: string;
  noteToPayer?: string;
  /** Money PayPal took back itself (dispute lost), not a refund we asked for. */
  reversal: boolean;
  createTime: string;
  updateTime: string;
}

export interface SimPayoutItem {
  itemId: string;
  transactionId: string;
  status: string;
  recipientType: string;
  receiver: string;
  amount: Money;
  note?: string;
  senderItemId?: string;
  error?: { name: string; message: string };
  timeProcessed?: string;
}

export interface SimPayout {
  batchId: string;
  senderBatchId: string;
  emailSubject?: string;
  status: string;
  items: SimPayoutItem[];
  createTime: string;
}

export interface SimDispute {
  id: string;
  captureId: string;
  reason: string;
  status: string;
  stage: string;
  amount: Money;
  outcomeCode?: string;
  createTime: string;
  updateTime: string;
}

export interface SimSentEvent {
  eventId: string;
  eventType: string;
  transmissionId: string;
  rawBody: string;
}

/** The simulator's record of truth. */
export interface PaypalSimulatorState {
  orders: Record<string, SimOrder>;
  captures: Record<string, SimCapture>;
  authorizations: Record<string, SimAuthorization>;
  refunds: Record<string, SimRefund>;
  payouts: Record<string, SimPayout>;
  disputes: Record<string, SimDispute>;
  events: SimSentEvent[];
  tokensIssued: number;
}

export function emptyState(): PaypalSimulatorState {
  return {
    orders: {},
    captures: {},
    authorizations: {},
    refunds: {},
    payouts: {},
    disputes: {},
    events: [],
    tokensIssued: 0,
  };
}
