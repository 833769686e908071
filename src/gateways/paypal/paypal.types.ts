// PayPal REST wire formats (Orders v2, Payments v2, Payouts v1, Webhooks v1, Disputes v1),
// named as PayPal names them. Amount values are decimal strings, never numbers.

export interface PaypalMoney {
  currency_code: string;
  value: string;
}

/** Payouts use `currency`, not `currency_code`. */
export interface PaypalPayoutMoney {
  currency: string;
  value: string;
}

export interface PaypalLink {
  href: string;
  rel: string;
  method?: string;
}

export interface PaypalTokenResponse {
  scope?: string;
  access_token: string;
  token_type: string;
  app_id?: string;
  expires_in: number;
  nonce?: string;
}

export interface PaypalOAuthError {
  error: string;
  error_description?: string;
}

export interface PaypalErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query' | string;
  issue: string;
  description?: string;
}

export interface PaypalErrorResponse {
  name: string;
  message: string;
  debug_id?: string;
  details?: PaypalErrorDetail[];
  links?: PaypalLink[];
}

export type PaypalIntent = 'CAPTURE' | 'AUTHORIZE';

export type PaypalOrderStatus =
  'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';

export type PaypalCaptureStatus =
  'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'FAILED';

export type PaypalAuthorizationStatus =
  'CREATED' | 'CAPTURED' | 'DENIED' | 'PARTIALLY_CAPTURED' | 'VOIDED' | 'PENDING';

export type PaypalRefundStatus = 'CANCELLED' | 'FAILED' | 'PENDING' | 'COMPLETED';

export interface PaypalExperienceContext {
  return_url?: string;
  cancel_url?: string;
  brand_name?: string;
  locale?: string;
  shipping_preference?: 'GET_FROM_FILE' | 'NO_SHIPPING' | 'SET_PROVIDED_ADDRESS';
  landing_page?: 'LOGIN' | 'GUEST_CHECKOUT' | 'NO_PREFERENCE';
  user_action?: 'CONTINUE' | 'PAY_NOW';
  payment_method_preference?: 'UNRESTRICTED' | 'IMMEDIATE_PAYMENT_REQUIRED';
}

export interface PaypalPurchaseUnitRequest {
  reference_id?: string;
  description?: string;
  custom_id?: string;
  invoice_id?: string;
  soft_descriptor?: string;
  amount: PaypalMoney;
}

export interface PaypalOrderRequest {
  intent: PaypalIntent;
  purchase_units: PaypalPurchaseUnitRequest[];
  payment_source?: {
    paypal?: { email_address?: string; experience_context?: PaypalExperienceContext };
  };
}

export interface PaypalStatusDetails {
  reason: string;
}

export interface PaypalRelatedIds {
  order_id?: string;
  authorization_id?: string;
  capture_id?: string;
}

export interface PaypalCapture {
  id: string;
  status: PaypalCaptureStatus | string;
  status_details?: PaypalStatusDetails;
  amount?: PaypalMoney;
  final_capture?: boolean;
  invoice_id?: string;
  custom_id?: string;
  seller_protection?: { status: string; dispute_categories?: string[] };
  seller_receivable_breakdown?: {
    gross_amount: PaypalMoney;
    paypal_fee?: PaypalMoney;
    net_amount?: PaypalMoney;
  };
  supplementary_data?: { related_ids?: PaypalRelatedIds };
  create_time?: string;
  update_time?: string;
  links?: PaypalLink[];
}

export interface PaypalAuthorization {
  id: string;
  status: PaypalAuthorizationStatus | string;
  status_details?: PaypalStatusDetails;
  amount?: PaypalMoney;
  invoice_id?: string;
  custom_id?: string;
  expiration_time?: string;
  supplementary_data?: { related_ids?: PaypalRelatedIds };
  create_time?: string;
  update_time?: string;
  links?: PaypalLink[];
}

export interface PaypalRefund {
  id: string;
  status: PaypalRefundStatus | string;
  status_details?: PaypalStatusDetails;
  amount?: PaypalMoney;
  invoice_id?: string;
  custom_id?: string;
  note_to_payer?: string;
  seller_payable_breakdown?: { gross_amount?: PaypalMoney; total_refunded_amount?: PaypalMoney };
  supplementary_data?: { related_ids?: PaypalRelatedIds };
  create_time?: string;
  update_time?: string;
  links?: PaypalLink[];
}

export interface PaypalPurchaseUnit {
  reference_id?: string;
  description?: string;
  custom_id?: string;
  invoice_id?: string;
  amount?: PaypalMoney;
  payments?: {
    captures?: PaypalCapture[];
    authorizations?: PaypalAuthorization[];
    refunds?: PaypalRefund[];
  };
}

export interface PaypalOrder {
  id: string;
  status: PaypalOrderStatus | string;
  intent?: PaypalIntent;
  purchase_units?: PaypalPurchaseUnit[];
  payer?: { payer_id?: string; email_address?: string };
  create_time?: string;
  update_time?: string;
  links?: PaypalLink[];
}

export interface PaypalAuthorizationCaptureRequest {
  amount?: PaypalMoney;
  final_capture?: boolean;
  invoice_id?: string;
  note_to_payer?: string;
  soft_descriptor?: string;
}

export interface PaypalRefundRequest {
  amount?: PaypalMoney;
  invoice_id?: string;
  custom_id?: string;
  note_to_payer?: string;
}

export type PaypalRecipientType = 'EMAIL' | 'PHONE' | 'PAYPAL_ID';

export type PaypalPayoutBatchStatus = 'DENIED' | 'PENDING' | 'PROCESSING' | 'SUCCESS' | 'CANCELED';

export type PaypalPayoutItemStatus =
  | 'SUCCESS'
  | 'FAILED'
  | 'PENDING'
  | 'UNCLAIMED'
  | 'RETURNED'
  | 'ONHOLD'
  | 'BLOCKED'
  | 'REFUNDED'
  | 'REVERSED'
  | 'DENIED'
  | 'CANCELED'
  | 'NEW';

export interface PaypalPayoutItemRequest {
  recipient_type: PaypalRecipientType;
  amount: PaypalPayoutMoney;
  receiver: string;
  note?: string;
  sender_item_id?: string;
}

export interface PaypalPayoutRequest {
  sender_batch_header: {
    sender_batch_id: string;
    email_subject?: string;
    email_message?: string;
    recipient_type?: PaypalRecipientType;
  };
  items: PaypalPayoutItemRequest[];
}

export interface PaypalPayoutBatchHeader {
  payout_batch_id: string;
  batch_status: PaypalPayoutBatchStatus | string;
  sender_batch_header?: PaypalPayoutRequest['sender_batch_header'];
  time_created?: string;
  amount?: PaypalPayoutMoney;
}

export interface PaypalPayoutItem {
  payout_item_id: string;
  transaction_id?: string;
  transaction_status: PaypalPayoutItemStatus | string;
  payout_batch_id: string;
  payout_item: PaypalPayoutItemRequest;
  time_processed?: string;
  errors?: { name: string; message: string };
  links?: PaypalLink[];
}

export interface PaypalPayoutBatch {
  batch_header: PaypalPayoutBatchHeader;
  items?: PaypalPayoutItem[];
  links?: PaypalLink[];
}

export type PaypalDisputeStatus =
  | 'OPEN'
  | 'WAITING_FOR_BUYER_RESPONSE'
  | 'WAITING_FOR_SELLER_RESPONSE'
  | 'UNDER_REVIEW'
  | 'RESOLVED'
  | 'OTHER';

export interface PaypalDisputedTransaction {
  seller_transaction_id?: string;
  buyer_transaction_id?: string;
  invoice_number?: string;
  custom?: string;
  gross_amount?: PaypalMoney;
}

export interface PaypalDispute {
  dispute_id: string;
  create_time?: string;
  update_time?: string;
  disputed_transactions?: PaypalDisputedTransaction[];
  reason: string;
  status: PaypalDisputeStatus | string;
  dispute_amount?: PaypalMoney;
  dispute_outcome?: { outcome_code: string; amount_refunded?: PaypalMoney };
  dispute_life_cycle_stage?: 'INQUIRY' | 'CHARGEBACK' | 'PRE_ARBITRATION' | 'ARBITRATION' | string;
  dispute_channel?: 'INTERNAL' | 'EXTERNAL' | 'ALERT' | string;
  seller_response_due_date?: string;
  links?: PaypalLink[];
}

export interface PaypalWebhookEvent<Resource = unknown> {
  id: string;
  event_version?: string;
  create_time?: string;
  resource_type?: string;
  resource_version?: string;
  event_type: string;
  summary?: string;
  resource: Resource;
  links?: PaypalLink[];
}

/** The five PAYPAL-* headers that carry a webhook signature. */
export interface PaypalTransmission {
  transmissionId: string;
  transmissionTime: string;
  transmissionSig: string;
  certUrl: string;
  authAlgo: string;
}

export interface PaypalVerifyWebhookSignatureRequest {
  auth_algo: string;
  cert_url: string;
  transmission_id: string;
  transmission_sig: string;
  transmission_time: string;
  webhook_id: string;
  webhook_event: unknown;
}

export interface PaypalVerifyWebhookSignatureResponse {
  verification_status: 'SUCCESS' | 'FAILURE' | string;
}

/** Body of the sandbox negative-testing header `PayPal-Mock-Response`. */
export interface PaypalMockResponse {
  mock_application_codes: string;
}
