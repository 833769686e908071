import { randomBytes, randomUUID } from 'node:crypto';
import type { CallbackOptions } from '../../simulator-kit/callback-dispatcher';
import {
  json,
  SimulatorServer,
  type SimRequest,
  type SimResponse,
} from '../../simulator-kit/simulator-server';
import { SIMULATOR_PORTS } from '../../simulator-ports';
import { MPESA_DEMO_CREDENTIALS } from '../mpesa.config';
import { stkPassword } from '../mpesa.mapper';
import { decryptSecurityCredential } from '../mpesa.security-credential';
import type { MpesaResultParameter } from '../mpesa.types';
import { createSelfSignedCertificate } from '../../simulator-kit/self-signed-certificate';

export const MPESA_SIMULATOR_DEFAULT_PORT = SIMULATOR_PORTS.mpesa;
export const SANDBOX_SHORTCODE = MPESA_DEMO_CREDENTIALS.shortcode;
export const SANDBOX_PASSKEY = MPESA_DEMO_CREDENTIALS.passkey;
/** The documented sandbox payer: always pays. */
export const SUCCESS_PHONE = '254708374149';

/**
 * Test phone numbers choose the customer's answer, since Daraja documents no magic numbers:
 * 2547000NNNNN -> ResultCode NNNNN (254700001032 cancelled, 254700001037 unreachable,
 * 254700002001 wrong PIN, 254700000001 insufficient funds...). Every other phone pays (0).
 * B2C recipients follow the same rule (254700002040 unregistered customer).
 */
export function resultCodeForPhone(phone: string): number {
  const match = /^2547000(\d{5})$/.exec(phone);
  return match ? Number(match[1]) : 0;
}

const STK_RESULT_DESC: Readonly<Record<number, string>> = {
  0: 'The service request is processed successfully.',
  1: 'The balance is insufficient for the transaction.',
  1019: 'Transaction has expired',
  1025: 'An error occurred while sending a push request',
  1032: 'Request cancelled by user',
  1037: 'DS timeout user cannot be reached',
  2001: 'The initiator information is invalid.',
};

export interface MpesaSimulatorOptions {
  readonly consumerKey?: string;
  readonly consumerSecret?: string;
  readonly shortcode?: string;
  readonly passkey?: string;
  readonly initiatorName?: string;
  readonly initiatorPassword?: string;
  /** How long the simulated customer takes to answer the PIN prompt. */
  readonly customerDelayMs?: number;
  /** Delay before a Reversal / B2C / Transaction Status result is POSTed to ResultURL. */
  readonly resultDelayMs?: number;
  readonly callbackRetryDelaysMs?: readonly number[];
  readonly callbackTimeoutMs?: number;
  readonly tokenTtlSeconds?: number;
  /** Opening balance of the shortcode's utility account, whole KES. */
  readonly openingBalanceKes?: number;
  /**
   * The RSA key behind the published certificate (PEM). Default: a fresh key per simulator; give the
   * demo key when the app's demo config must encrypt SecurityCredential for it.
   */
  readonly privateKeyPem?: string;
}

export interface SimStkTransaction {
  readonly checkoutRequestId: string;
  readonly merchantRequestId: string;
  readonly amountKes: number;
  readonly phone: string;
  readonly callbackUrl: string;
  readonly accountReference: string;
  status: 'awaiting_customer' | 'completed';
  resultCode?: number;
  resultDesc?: string;
  receipt?: string;
  completedAt?: string;
  refundedKes: number;
  reversed: boolean;
}

export interface SimMoneyOut {
  readonly type: 'reversal' | 'b2c';
  readonly originatorConversationId: string;
  readonly conversationId: string;
  readonly transactionId: string;
  readonly amountKes: number;
  /** The payment this refunds (a reversal's TransactionID, or a B2C naming it in Occassion). */
  readonly checkoutRequestId?: string;
  readonly partyB?: string;
  readonly resultUrl: string;
  resultCode: string;
  resultDesc: string;
  readonly at: string;
}

export interface MpesaSimulatorState {
  readonly stk: SimStkTransaction[];
  readonly moneyOut: SimMoneyOut[];
  readonly statusQueries: number;
  readonly balanceKes: number;
  readonly tokensIssued: number;
}

export interface MpesaSimulator {
  readonly server: SimulatorServer;
  readonly certificatePem: string;
  readonly options: Required<
    Omit<MpesaSimulatorOptions, 'callbackRetryDelaysMs' | 'callbackTimeoutMs' | 'privateKeyPem'>
  >;
  readonly url: string;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  reset(): void;
  state(): MpesaSimulatorState;
  stk(checkoutRequestId: string): SimStkTransaction | undefined;
  /** Plays the customer now: answers the prompt with the given code (default: the phone's). */
  completeStk(checkoutRequestId: string, resultCode?: number): SimStkTransaction;
  /** Expires every issued access token (tests of the refresh path). */
  revokeTokens(): void;
}

const envelope = (status: number, errorCode: string, errorMessage: string): SimResponse =>
  json(status, {
    requestId: `${randomBytes(4).toString('hex')}-${Date.now()}`,
    errorCode,
    errorMessage,
  });

const invalidField = (field: string): SimResponse =>
  envelope(400, '400.002.02', `Bad Request - Invalid ${field}`);

const receiptNumber = (): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join('');
};

const conversationId = (): string =>
  `AG_${new Date().toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(10).toString('hex')}`;

const asRecord = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};

const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';

const isUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

function wholeAmount(value: unknown): number | undefined {
  const amount = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof amount === 'number' &&
    Number.isSafeInteger(amount) &&
    amount >= 1 &&
    amount <= 250_000
    ? amount
    : undefined;
}

/** A Daraja look-alike on its own port: OAuth, STK push/query, Reversal, B2C, Transaction Status. */
export function createMpesaSimulator(options: MpesaSimulatorOptions = {}): MpesaSimulator {
  const config = {
    consumerKey: options.consumerKey ?? MPESA_DEMO_CREDENTIALS.consumerKey,
    consumerSecret: options.consumerSecret ?? MPESA_DEMO_CREDENTIALS.consumerSecret,
    shortcode: options.shortcode ?? SANDBOX_SHORTCODE,
    passkey: options.passkey ?? SANDBOX_PASSKEY,
    initiatorName: options.initiatorName ?? MPESA_DEMO_CREDENTIALS.initiatorName,
    initiatorPassword: options.initiatorPassword ?? MPESA_DEMO_CREDENTIALS.initiatorPassword,
    customerDelayMs: options.customerDelayMs ?? 3_000,
    resultDelayMs: options.resultDelayMs ?? 200,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3599,
    openingBalanceKes: options.openingBalanceKes ?? 1_000_000,
  };
  const keys = createSelfSignedCertificate('Payrail M-Pesa Simulator', {
    privateKey: options.privateKeyPem,
  });
  const tokens = new Map<string, number>();
  const stk = new Map<string, SimStkTransaction>();
  const moneyOut: SimMoneyOut[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let balanceKes = config.openingBalanceKes;
  let statusQueries = 0;
  let tokensIssued = 0;

  const later = (ms: number, action: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const snapshot = (): MpesaSimulatorState => ({
    stk: [...stk.values()].map((entry) => ({ ...entry })),
    moneyOut: moneyOut.map((entry) => ({ ...entry })),
    statusQueries,
    balanceKes,
    tokensIssued,
  });

  const reset = (): void => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    stk.clear();
    moneyOut.length = 0;
    // Issued tokens survive a reset, as credentials do: a test's faults then hit the real call.
    balanceKes = config.openingBalanceKes;
    statusQueries = 0;
    tokensIssued = 0;
  };

  const callbackOptions: Partial<CallbackOptions> = {
    retryDelaysMs: options.callbackRetryDelaysMs,
    timeoutMs: options.callbackTimeoutMs,
  };
  const server = new SimulatorServer('mpesa', snapshot, reset, callbackOptions);

  const authorized = (request: SimRequest): SimResponse | undefined => {
    const header = str(request.headers.authorization);
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now())
      return envelope(404, '404.001.03', 'Invalid Access Token');
    // Daraja's quirk: a missing JSON content type surfaces as a shortcode error.
    if (!str(request.headers['content-type']).toLowerCase().startsWith('application/json')) {
      return invalidField('BusinessShortCode');
    }
    return undefined;
  };

  const checkPassword = (body: Record<string, unknown>): SimResponse | undefined => {
    if (str(body.BusinessShortCode) !== config.shortcode)
      return envelope(500, '500.001.1001', 'Merchant does not exist');
    const timestamp = str(body.Timestamp);
    if (!/^\d{14}$/.test(timestamp)) return invalidField('Timestamp');
    if (str(body.Password) !== stkPassword(config.shortcode, config.passkey, timestamp)) {
      return envelope(500, '500.001.1001', '[MerchantValidate] - Wrong credentials');
    }
    return undefined;
  };

  const initiatorValid = (name: unknown, credential: unknown): boolean =>
    str(name) === config.initiatorName &&
    decryptSecurityCredential(keys.privateKeyPem, str(credential)) === config.initiatorPassword;

  const sendStkCallback = (entry: SimStkTransaction): void => {
    const callback: Record<string, unknown> = {
      MerchantRequestID: entry.merchantRequestId,
      CheckoutRequestID: entry.checkoutRequestId,
      ResultCode: entry.resultCode,
      ResultDesc: entry.resultDesc,
    };
    if (entry.resultCode === 0) {
      callback.CallbackMetadata = {
        Item: [
          { Name: 'Amount', Value: entry.amountKes },
          { Name: 'MpesaReceiptNumber', Value: entry.receipt },
          { Name: 'Balance' },
          { Name: 'TransactionDate', Value: Number(entry.completedAt) },
          { Name: 'PhoneNumber', Value: Number(entry.phone) },
        ],
      };
    }
    server.callbacks.send({
      url: entry.callbackUrl,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Body: { stkCallback: callback } }),
      label: `stk ${entry.checkoutRequestId} ${entry.resultCode}`,
    });
  };

  const eatNow = (): string =>
    new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');

  const completeStk = (checkoutRequestId: string, resultCode?: number): SimStkTransaction => {
    const entry = stk.get(checkoutRequestId);
    if (!entry) throw new Error(`unknown CheckoutRequestID ${checkoutRequestId}`);
    if (entry.status === 'completed') return entry;
    const code = resultCode ?? resultCodeForPhone(entry.phone);
    entry.status = 'completed';
    entry.resultCode = code;
    entry.resultDesc = STK_RESULT_DESC[code] ?? `Simulated ResultCode ${code}`;
    entry.completedAt = eatNow();
    if (code === 0) {
      entry.receipt = receiptNumber();
      balanceKes += entry.amountKes;
    }
    sendStkCallback(entry);
    return entry;
  };

  const sendResult = (
    entry: SimMoneyOut,
    parameters: MpesaResultParameter[],
    resultCode: string | number = entry.resultCode,
  ): void => {
    const body = {
      Result: {
        ResultType: 0,
        ResultCode: /^\d+$/.test(String(resultCode)) ? Number(resultCode) : resultCode,
        ResultDesc: entry.resultDesc,
        OriginatorConversationID: entry.originatorConversationId,
        ConversationID: entry.conversationId,
        TransactionID: entry.transactionId,
        ResultParameters: { ResultParameter: parameters },
        ReferenceData: {
          ReferenceItem: {
            Key: 'QueueTimeoutURL',
            Value: 'https://internalsandbox.safaricom.co.ke/mpesa/results/v1/submit',
          },
        },
      },
    };
    later(config.resultDelayMs, () =>
      server.callbacks.send({
        url: entry.resultUrl,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        label: `${entry.type} ${entry.conversationId} ${resultCode}`,
      }),
    );
  };

  const acknowledge = (entry: {
    originatorConversationId: string;
    conversationId: string;
  }): SimResponse =>
    json(200, {
      OriginatorConversationID: entry.originatorConversationId,
      ConversationID: entry.conversationId,
      ResponseCode: '0',
      ResponseDescription: 'Accept the service request successfully.',
    });

  /** Commits money out unless a `refund_fails_later` / `payout_fails_later` fault says it will fail. */
  const settle = (
    entry: SimMoneyOut,
    payment: SimStkTransaction | undefined,
    failsLater: string,
  ): void => {
    const fault = server.faults.takeAction(failsLater);
    if (fault) {
      entry.resultCode = fault.body ?? (entry.type === 'reversal' ? 'R000002' : '2001');
      entry.resultDesc = `Simulated failure (${failsLater})`;
      return;
    }
    if (entry.resultCode !== '0') return;
    balanceKes -= entry.amountKes;
    if (payment) {
      payment.refundedKes += entry.amountKes;
      payment.reversed = payment.refundedKes >= payment.amountKes;
    }
  };

  server.route('GET', '/oauth/v1/generate', (request) => {
    if (request.query.get('grant_type') !== 'client_credentials') {
      return envelope(400, '400.008.02', 'Invalid grant type passed');
    }
    const header = str(request.headers.authorization);
    if (!header.startsWith('Basic '))
      return envelope(400, '400.008.01', 'Invalid Authentication passed');
    const [key, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    // Wrong key/secret: Daraja answers 400 with an empty body.
    if (key !== config.consumerKey || secret !== config.consumerSecret)
      return { status: 400, body: '' };
    const token = randomBytes(21).toString('base64url');
    tokens.set(token, Date.now() + config.tokenTtlSeconds * 1000);
    tokensIssued += 1;
    return json(200, { access_token: token, expires_in: String(config.tokenTtlSeconds) });
  });

  server.route('POST', '/mpesa/stkpush/v1/processrequest', (request) => {
    const denied = authorized(request);
    if (denied) return denied;
    const body = asRecord(request.body);
    const wrong = checkPassword(body);
    if (wrong) return wrong;
    const transactionType = str(body.TransactionType);
    if (
      transactionType !== 'CustomerPayBillOnline' &&
      transactionType !== 'CustomerBuyGoodsOnline'
    ) {
      return invalidField('TransactionType');
    }
    const amountKes = wholeAmount(body.Amount);
    if (amountKes === undefined) return invalidField('Amount');
    const phone = str(body.PhoneNumber);
    if (!/^254[17]\d{8}$/.test(str(body.PartyA))) return invalidField('PartyA');
    if (!/^254[17]\d{8}$/.test(phone)) return invalidField('PhoneNumber');
    if (!/^\d{5,7}$/.test(str(body.PartyB))) return invalidField('PartyB');
    const callbackUrl = str(body.CallBackURL);
    if (!isUrl(callbackUrl)) return invalidField('CallBackURL');
    const accountReference = str(body.AccountReference);
    if (!accountReference || accountReference.length > 12) return invalidField('AccountReference');
    if (str(body.TransactionDesc).length > 13) return invalidField('TransactionDesc');
    const entry: SimStkTransaction = {
      checkoutRequestId: `ws_CO_${eatNow()}${randomBytes(6).toString('hex')}`,
      merchantRequestId: randomUUID().slice(0, 23),
      amountKes,
      phone,
      callbackUrl,
      accountReference,
      status: 'awaiting_customer',
      refundedKes: 0,
      reversed: false,
    };
    stk.set(entry.checkoutRequestId, entry);
    later(config.customerDelayMs, () => completeStk(entry.checkoutRequestId));
    return json(200, {
      MerchantRequestID: entry.merchantRequestId,
      CheckoutRequestID: entry.checkoutRequestId,
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    });
  });

  server.route('POST', '/mpesa/stkpushquery/v1/query', (request) => {
    const denied = authorized(request);
    if (denied) return denied;
    const body = asRecord(request.body);
    const wrong = checkPassword(body);
    if (wrong) return wrong;
    const entry = stk.get(str(body.CheckoutRequestID));
    if (!entry) return invalidField('CheckoutRequestID');
    if (entry.status !== 'completed')
      return envelope(500, '500.001.1001', 'The transaction is being processed');
    return json(200, {
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successsfully',
      MerchantRequestID: entry.merchantRequestId,
      CheckoutRequestID: entry.checkoutRequestId,
      ResultCode: String(entry.resultCode),
      ResultDesc: entry.resultDesc,
    });
  });

  server.route('POST', '/mpesa/reversal/v1/request', (request) => {
    const denied = authorized(request);
    if (denied) return denied;
    const body = asRecord(request.body);
    if (str(body.CommandID) !== 'TransactionReversal') return invalidField('CommandID');
    const resultUrl = str(body.ResultURL);
    if (!isUrl(resultUrl)) return invalidField('ResultURL');
    if (!isUrl(str(body.QueueTimeOutURL))) return invalidField('QueueTimeOutURL');
    const amountKes = wholeAmount(body.Amount);
    if (amountKes === undefined) return invalidField('Amount');
    const remarks = str(body.Remarks);
    if (remarks.length < 2 || remarks.length > 100) return invalidField('Remarks');
    const transactionId = str(body.TransactionID);
    if (!transactionId) return invalidField('TransactionID');
    const payment = [...stk.values()].find((entry) => entry.receipt === transactionId);
    const remaining = payment ? payment.amountKes - payment.refundedKes : 0;
    // Undocumented: we refuse more than is left on a transaction that is not fully reversed yet.
    if (payment && !payment.reversed && amountKes > remaining) return invalidField('Amount');
    const entry: SimMoneyOut = {
      type: 'reversal',
      originatorConversationId: `${randomBytes(4).toString('hex')}-${Date.now()}-1`,
      conversationId: conversationId(),
      transactionId: receiptNumber(),
      amountKes,
      checkoutRequestId: payment?.checkoutRequestId,
      resultUrl,
      resultCode: '0',
      resultDesc: 'The service request is processed successfully.',
      at: new Date().toISOString(),
    };
    if (!initiatorValid(body.Initiator, body.SecurityCredential)) {
      entry.resultCode = '2001';
      entry.resultDesc = 'The initiator information is invalid.';
    } else if (!payment) {
      entry.resultCode = 'R000002';
      entry.resultDesc = 'The OriginalTransactionID is invalid.';
    } else if (payment.reversed) {
      entry.resultCode = 'R000001';
      entry.resultDesc = 'The transaction has already been reversed.';
    }
    settle(entry, payment, 'refund_fails_later');
    moneyOut.push(entry);
    sendResult(entry, [
      {
        Key: 'DebitAccountBalance',
        Value: `Utility Account|KES|${balanceKes}.00|${balanceKes}.00|0.00|0.00`,
      },
      { Key: 'Amount', Value: amountKes },
      { Key: 'TransCompletedTime', Value: Number(eatNow()) },
      { Key: 'OriginalTransactionID', Value: transactionId },
      { Key: 'Charge', Value: 0 },
      { Key: 'CreditPartyPublicName', Value: `${payment?.phone ?? ''} - Simulated Customer` },
      { Key: 'DebitPartyPublicName', Value: `${config.shortcode} - Payrail Simulator` },
    ]);
    return acknowledge(entry);
  });

  const b2c = (version: 'v1' | 'v3') => (request: SimRequest) => {
    const denied = authorized(request);
    if (denied) return denied;
    const body = asRecord(request.body);
    const originator = str(body.OriginatorConversationID);
    if (version === 'v3' && !originator) return invalidField('OriginatorConversationID');
    if (originator && moneyOut.some((entry) => entry.originatorConversationId === originator)) {
      return envelope(500, '500.002.1001', 'Duplicate OriginatorConversationID.');
    }
    if (!['BusinessPayment', 'SalaryPayment', 'PromotionPayment'].includes(str(body.CommandID))) {
      return invalidField('CommandID');
    }
    const amountKes = wholeAmount(body.Amount);
    if (amountKes === undefined) return invalidField('Amount');
    const partyB = str(body.PartyB);
    if (!/^254[17]\d{8}$/.test(partyB)) return invalidField('PartyB');
    const resultUrl = str(body.ResultURL);
    if (!isUrl(resultUrl)) return invalidField('ResultURL');
    if (!isUrl(str(body.QueueTimeOutURL))) return invalidField('QueueTimeOutURL');
    const remarks = str(body.Remarks);
    if (remarks.length < 2 || remarks.length > 100) return invalidField('Remarks');
    // Our convention: a B2C whose Occassion names a payment's receipt or CheckoutRequestID refunds it.
    const occasion = str(body.Occassion ?? body.Occasion);
    const payment = [...stk.values()].find(
      (entry) =>
        entry.status === 'completed' &&
        entry.resultCode === 0 &&
        (occasion.includes(entry.checkoutRequestId) ||
          (entry.receipt !== undefined && occasion.includes(entry.receipt))),
    );
    if (payment && amountKes > payment.amountKes - payment.refundedKes)
      return invalidField('Amount');
    const phoneCode = resultCodeForPhone(partyB);
    const entry: SimMoneyOut = {
      type: 'b2c',
      originatorConversationId: originator || `${randomBytes(4).toString('hex')}-${Date.now()}-1`,
      conversationId: conversationId(),
      transactionId: receiptNumber(),
      amountKes,
      checkoutRequestId: payment?.checkoutRequestId,
      partyB,
      resultUrl,
      resultCode: String(phoneCode),
      resultDesc:
        phoneCode === 0
          ? 'The service request is processed successfully.'
          : `Simulated ResultCode ${phoneCode}`,
      at: new Date().toISOString(),
    };
    if (!initiatorValid(body.InitiatorName, body.SecurityCredential)) {
      entry.resultCode = '2001';
      entry.resultDesc = 'The initiator information is invalid.';
    } else if (amountKes > balanceKes) {
      entry.resultCode = '1';
      entry.resultDesc = 'The balance is insufficient for the transaction.';
    }
    settle(entry, payment, payment ? 'refund_fails_later' : 'payout_fails_later');
    moneyOut.push(entry);
    const completed = new Date(Date.now() + 3 * 3_600_000).toISOString();
    sendResult(
      entry,
      entry.resultCode === '0'
        ? [
            { Key: 'TransactionAmount', Value: amountKes },
            { Key: 'TransactionReceipt', Value: entry.transactionId },
            { Key: 'ReceiverPartyPublicName', Value: `${partyB} - Simulated Customer` },
            {
              Key: 'TransactionCompletedDateTime',
              Value: `${completed.slice(8, 10)}.${completed.slice(5, 7)}.${completed.slice(0, 4)} ${completed.slice(11, 19)}`,
            },
            { Key: 'B2CUtilityAccountAvailableFunds', Value: balanceKes },
            { Key: 'B2CWorkingAccountAvailableFunds', Value: 0 },
            { Key: 'B2CRecipientIsRegisteredCustomer', Value: 'Y' },
            { Key: 'B2CChargesPaidAccountAvailableFunds', Value: 0 },
          ]
        : [],
    );
    return acknowledge(entry);
  };
  server.route('POST', '/mpesa/b2c/v3/paymentrequest', b2c('v3'));
  server.route('POST', '/mpesa/b2c/v1/paymentrequest', b2c('v1'));

  server.route('POST', '/mpesa/transactionstatus/v1/query', (request) => {
    const denied = authorized(request);
    if (denied) return denied;
    const body = asRecord(request.body);
    if (str(body.CommandID) !== 'TransactionStatusQuery') return invalidField('CommandID');
    const resultUrl = str(body.ResultURL);
    if (!isUrl(resultUrl)) return invalidField('ResultURL');
    const transactionId = str(body.TransactionID);
    const original = str(body.OriginalConversationID);
    if (!transactionId && !original) return invalidField('TransactionID');
    statusQueries += 1;
    const query: SimMoneyOut = {
      type: 'b2c',
      originatorConversationId: `${randomBytes(4).toString('hex')}-${Date.now()}-1`,
      conversationId: conversationId(),
      transactionId: '',
      amountKes: 0,
      resultUrl,
      resultCode: '0',
      resultDesc: 'The service request is processed successfully.',
      at: new Date().toISOString(),
    };
    if (!initiatorValid(body.Initiator, body.SecurityCredential)) {
      sendResult({ ...query, resultDesc: 'The initiator information is invalid.' }, [], '2001');
      return acknowledge(query);
    }
    const found = moneyOut.find(
      (entry) =>
        (transactionId && entry.transactionId === transactionId) ||
        (original &&
          (entry.conversationId === original || entry.originatorConversationId === original)),
    );
    const payment = found
      ? undefined
      : [...stk.values()].find((entry) => transactionId && entry.receipt === transactionId);
    if (!found && !payment) {
      sendResult({ ...query, resultDesc: 'The OriginalTransactionID is invalid.' }, [], 'R000002');
      return acknowledge(query);
    }
    const succeeded = found ? found.resultCode === '0' : payment!.resultCode === 0;
    sendResult(query, [
      { Key: 'DebitPartyName', Value: `${config.shortcode} - Payrail Simulator` },
      {
        Key: 'CreditPartyName',
        Value: `${found?.partyB ?? payment?.phone ?? ''} - Simulated Customer`,
      },
      { Key: 'OriginatorConversationID', Value: found?.originatorConversationId ?? '' },
      { Key: 'InitiatedTime', Value: Number(eatNow()) },
      { Key: 'DebitAccountType', Value: 'Utility Account' },
      { Key: 'DebitPartyCharges', Value: '' },
      { Key: 'TransactionReason', Value: '' },
      {
        Key: 'ReasonType',
        Value: found?.type === 'reversal' ? 'Reversal' : 'Business Payment to Customer via API',
      },
      { Key: 'TransactionStatus', Value: succeeded ? 'Completed' : 'Failed' },
      { Key: 'FinalisedTime', Value: Number(eatNow()) },
      { Key: 'Amount', Value: found?.amountKes ?? payment!.amountKes },
      { Key: 'ConversationID', Value: found?.conversationId ?? '' },
      { Key: 'ReceiptNo', Value: found?.transactionId ?? payment!.receipt ?? '' },
    ]);
    return acknowledge(query);
  });

  // Control route: the customer answers the PIN prompt now (tests and the harness play the customer).
  server.route('POST', '/__sim/stk/:checkoutRequestId/complete', (request) => {
    const entry = stk.get(request.params.checkoutRequestId);
    if (!entry) return json(404, { error: 'unknown CheckoutRequestID' });
    const code = asRecord(request.body).resultCode;
    if (code !== undefined && (typeof code !== 'number' || !Number.isInteger(code))) {
      return json(400, { error: 'resultCode must be an integer' });
    }
    if (entry.status === 'completed')
      return json(409, { error: 'already completed', transaction: entry });
    return json(200, completeStk(entry.checkoutRequestId, code as number | undefined));
  });

  return {
    server,
    certificatePem: keys.certificatePem,
    options: config,
    get url() {
      return server.url;
    },
    listen: (port = 0, host?: string) => server.listen(port, host),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
    },
    reset: () => server.reset(),
    state: snapshot,
    stk: (id) => stk.get(id),
    completeStk,
    revokeTokens: () => tokens.clear(),
  };
}
