// Wire formats, named as Zaakpay names them. Every amount on these wires is integer paisa.

/** The 37 request names Zaakpay's kits hash, already in code-unit (ASCII) order. */
export const CHECKOUT_CHECKSUM_FIELDS = [
  'amount',
  'bankid',
  'buyerAddress',
  'buyerCity',
  'buyerCountry',
  'buyerEmail',
  'buyerFirstName',
  'buyerLastName',
  'buyerPhoneNumber',
  'buyerPincode',
  'buyerState',
  'currency',
  'debitorcredit',
  'merchantIdentifier',
  'merchantIpAddress',
  'mode',
  'orderId',
  'product1Description',
  'product2Description',
  'product3Description',
  'product4Description',
  'productDescription',
  'productInfo',
  'purpose',
  'returnUrl',
  'shipToAddress',
  'shipToCity',
  'shipToCountry',
  'shipToFirstname',
  'shipToLastname',
  'shipToPhoneNumber',
  'shipToPincode',
  'shipToState',
  'showMobile',
  'txnDate',
  'txnType',
  'zpPayOption',
] as const;

export type ZaakpayCheckoutFieldName = (typeof CHECKOUT_CHECKSUM_FIELDS)[number];

/** Fields posted to /api/paymentTransact/V8 (all strings; `checksum` added last). */
export type ZaakpayCheckoutFields = Partial<Record<ZaakpayCheckoutFieldName, string>>;

/** The fixed (not alphabetical) order of the returnUrl response checksum string. */
export const RESPONSE_CHECKSUM_FIELDS = [
  'amount',
  'bank',
  'bankid',
  'cardId',
  'cardScheme',
  'cardToken',
  'cardhashid',
  'doRedirect',
  'orderId',
  'paymentMethod',
  'paymentMode',
  'responseCode',
  'responseDescription',
  'productDescription',
  'product1Description',
  'product2Description',
  'product3Description',
  'product4Description',
  'pgTransId',
  'pgTransTime',
] as const;

export type ZaakpayResponseFieldName = (typeof RESPONSE_CHECKSUM_FIELDS)[number];

/** What the browser POSTs to returnUrl (extra fields such as bankRefNum are not signed). */
export type ZaakpayTransactResponse = Partial<Record<ZaakpayResponseFieldName, string>> & {
  readonly orderId: string;
  readonly responseCode: string;
  readonly checksum?: string;
  readonly [extra: string]: string | undefined;
};

export interface ZaakpayCheckTxnData {
  readonly merchantIdentifier: string;
  readonly mode: '0';
  readonly orderDetail: { readonly orderId: string };
  readonly refundDetail?: { readonly merchantRefId: string };
}

export interface ZaakpayRefundDetail {
  readonly amount: string;
  readonly arn?: string;
  // Not in the doc sample; the simulator adds it so a refund can be told apart from others.
  readonly merchantRefId?: string;
}

export interface ZaakpayOrderStatus {
  readonly orderDetail: {
    readonly orderId: string;
    readonly txnId?: string;
    readonly amount?: string;
    readonly productDescription?: string;
    readonly createDate?: string;
  };
  readonly paymentInstrument?: Record<string, unknown>;
  readonly responseCode: string;
  readonly responseDescription?: string;
  readonly refundDetails?: readonly ZaakpayRefundDetail[];
  readonly txnDate?: string;
  readonly txnStatus?: string;
  readonly userAccountDebited?: boolean;
}

export interface ZaakpayCheckTxnResponse {
  readonly success?: boolean;
  readonly merchantIdentifier?: string;
  readonly version?: string;
  readonly orders?: readonly ZaakpayOrderStatus[];
  // Request-level failures (wrong checksum or merchant) carry the code at the top level.
  readonly responseCode?: string;
  readonly responseDescription?: string;
}

/** updateDesired: 7 capture, 8 cancel, 14 full refund, 22 partial refund. */
export type ZaakpayUpdateDesired = '7' | '8' | '14' | '22';

export interface ZaakpayUpdateTxnData {
  readonly merchantIdentifier: string;
  readonly orderDetail: { readonly orderId: string; readonly amount?: string };
  readonly mode: '0';
  readonly updateDesired: ZaakpayUpdateDesired;
  readonly updateReason: string;
  readonly merchantRefId?: string;
}

export interface ZaakpayUpdateTxnResponse {
  readonly merchantIdentifier?: string;
  readonly orderDetail?: { readonly orderId?: string };
  readonly responseCode: string;
  readonly responseDescription?: string;
  readonly merchantRefId?: string;
}

/** One real-time webhook item: the returnUrl fields plus txnDate. */
export type ZaakpayWebhookTxn = Partial<Record<ZaakpayResponseFieldName, string>> & {
  readonly txnDate?: string;
  readonly [extra: string]: unknown;
};

/** A non-real-time (reconciliation) item: lowercase `orderid` and a numeric amount. */
export interface ZaakpayLateWebhookTxn {
  readonly amount: number | string;
  readonly orderid: string;
  readonly txnDate?: string;
}

export interface ZaakpayWebhookTxnData {
  readonly merchantIdentifier: string;
  readonly txns?: ReadonlyArray<ZaakpayWebhookTxn | ZaakpayLateWebhookTxn>;
  readonly refunds?: readonly unknown[];
}
