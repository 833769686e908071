// Daraja wire formats, named as Safaricom names them (misspellings included: they are the real keys).

export interface MpesaTokenResponse {
  readonly access_token: string;
  /** The doc prints a number, the live API sends a string. */
  readonly expires_in: string | number;
}

/** The synchronous error envelope every Daraja API uses. */
export interface MpesaErrorEnvelope {
  readonly requestId?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export type MpesaTransactionType = 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline';

export interface MpesaStkPushRequest {
  readonly BusinessShortCode: string;
  readonly Password: string;
  readonly Timestamp: string;
  readonly TransactionType: MpesaTransactionType;
  readonly Amount: number;
  readonly PartyA: string;
  readonly PartyB: string;
  readonly PhoneNumber: string;
  readonly CallBackURL: string;
  readonly AccountReference: string;
  readonly TransactionDesc: string;
}

export interface MpesaStkPushResponse {
  readonly MerchantRequestID: string;
  readonly CheckoutRequestID: string;
  readonly ResponseCode: string;
  readonly ResponseDescription: string;
  readonly CustomerMessage: string;
}

export interface MpesaStkQueryRequest {
  readonly BusinessShortCode: string;
  readonly Password: string;
  readonly Timestamp: string;
  readonly CheckoutRequestID: string;
}

export interface MpesaStkQueryResponse {
  readonly ResponseCode: string;
  readonly ResponseDescription: string;
  readonly MerchantRequestID: string;
  readonly CheckoutRequestID: string;
  /** A string here, a number in the callback. */
  readonly ResultCode: string | number;
  readonly ResultDesc: string;
}

export interface MpesaCallbackItem {
  readonly Name: string;
  /** Absent on some items (sandbox sends `{"Name":"Balance"}`). */
  readonly Value?: string | number;
}

export interface MpesaStkCallback {
  readonly MerchantRequestID: string;
  readonly CheckoutRequestID: string;
  readonly ResultCode: number | string;
  readonly ResultDesc: string;
  readonly CallbackMetadata?: { readonly Item: readonly MpesaCallbackItem[] };
}

export interface MpesaStkCallbackBody {
  readonly Body: { readonly stkCallback: MpesaStkCallback };
}

export interface MpesaReversalRequest {
  readonly Initiator: string;
  readonly SecurityCredential: string;
  readonly CommandID: 'TransactionReversal';
  readonly TransactionID: string;
  readonly Amount: number;
  readonly ReceiverParty: string;
  readonly RecieverIdentifierType: '11';
  readonly ResultURL: string;
  readonly QueueTimeOutURL: string;
  readonly Remarks: string;
  readonly Occasion?: string;
}

export type MpesaB2cCommandId = 'BusinessPayment' | 'SalaryPayment' | 'PromotionPayment';

export interface MpesaB2cRequest {
  readonly OriginatorConversationID: string;
  readonly InitiatorName: string;
  readonly SecurityCredential: string;
  readonly CommandID: MpesaB2cCommandId;
  readonly Amount: number;
  readonly PartyA: string;
  readonly PartyB: string;
  readonly Remarks: string;
  readonly QueueTimeOutURL: string;
  readonly ResultURL: string;
  /** v3 doc spelling. */
  readonly Occassion?: string;
}

export interface MpesaTransactionStatusRequest {
  readonly Initiator: string;
  readonly SecurityCredential: string;
  readonly CommandID: 'TransactionStatusQuery';
  readonly TransactionID?: string;
  readonly OriginalConversationID?: string;
  readonly PartyA: string;
  readonly IdentifierType: '1' | '2' | '4';
  readonly ResultURL: string;
  readonly QueueTimeOutURL: string;
  readonly Remarks: string;
  readonly Occasion?: string;
}

/** Acknowledgement of Reversal, B2C and Transaction Status: "accepted", never the outcome. */
export interface MpesaAsyncAcknowledgement {
  readonly OriginatorConversationID: string;
  readonly ConversationID: string;
  readonly ResponseCode: string;
  readonly ResponseDescription: string;
}

export interface MpesaResultParameter {
  readonly Key: string;
  readonly Value?: string | number;
}

/** What Reversal, B2C and Transaction Status POST to ResultURL / QueueTimeOutURL. */
export interface MpesaResult {
  readonly ResultType: number | string;
  /** Number for most results, strings like `R000002` for reversal failures. */
  readonly ResultCode: number | string;
  readonly ResultDesc: string;
  readonly OriginatorConversationID: string;
  readonly ConversationID: string;
  readonly TransactionID?: string;
  readonly ResultParameters?: {
    readonly ResultParameter: readonly MpesaResultParameter[] | MpesaResultParameter;
  };
  readonly ReferenceData?: unknown;
}

export interface MpesaResultBody {
  readonly Result: MpesaResult;
}
