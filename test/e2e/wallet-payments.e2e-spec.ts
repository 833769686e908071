import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { ReconciliationService } from '../../src/modules/payments/reconciliation/reconciliation.service';
import { WalletPaymentGateway } from '../../src/modules/wallets/wallet-payment.gateway';
import type { AccountRef } from '../../src/modules/ledger/ledger.types';
import { Role } from '../../src/modules/users/role';
import {
  CANCEL_PAYMENT,
  CAPTURE_PAYMENT,
  CONFIRM_PAYMENT,
  createOrder,
  createPayment,
  GATEWAY_CASES,
  getPayment,
  ORDER,
  PAYMENT_FIELDS,
  REFUND_PAYMENT,
  type PaymentView,
} from '../factories/payments.factory';
import { createUser, type TestUser } from '../factories/users.factory';
import {
  actAsCustomer,
  createPaymentsTestApp,
  eventually,
  type PaymentsTestApp,
} from '../utils/payments-test-app';

const WALLET_FIELDS = 'id currency status balanceMinor heldMinor availableMinor';
const OPEN = `mutation($input: OpenWalletInput!) { openWallet(input: $input) { ${WALLET_FIELDS} } }`;
const WALLET = `query($id: ID!) { wallet(id: $id) { ${WALLET_FIELDS} } }`;
const TOP_UP = `mutation($input: TopUpWalletInput!) { topUpWallet(input: $input) { ${PAYMENT_FIELDS} } }`;
const FREEZE = `mutation($input: WalletStatusInput!) { freezeWallet(input: $input) { id status } }`;
const UNFREEZE = `mutation($input: WalletStatusInput!) { unfreezeWallet(input: $input) { id status } }`;
const STATEMENT = `query($walletId: ID!) {
  walletStatement(walletId: $walletId) { edges { node { kind amountMinor balanceAfterMinor } } }
}`;
const PLACE_HOLD = `mutation($input: PlaceWalletHoldInput!) {
  placeWalletHold(input: $input) { id status amountMinor reference }
}`;
const CAPTURE_HOLD = `mutation($input: CaptureWalletHoldInput!) {
  captureWalletHold(input: $input) { id status amountMinor capturedAmountMinor }
}`;

interface WalletNode {
  id: string;
  currency: string;
  status: string;
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
}

describe('Wallet top-ups and paying from a wallet (e2e, gateway simulators)', () => {
  let t: PaymentsTestApp;
  let db: DataSource;
  let ledger: LedgerService;
  let admin: TestUser;
  let merchant: TestUser;

  const openWallet = async (user: TestUser, currency = 'USD'): Promise<WalletNode> =>
    (await t.gql.ok<{ openWallet: WalletNode }>(OPEN, { input: { currency } }, user.accessToken))
      .openWallet;
  const walletOf = async (id: string): Promise<WalletNode> =>
    (await t.gql.ok<{ wallet: WalletNode }>(WALLET, { id }, admin.accessToken)).wallet;
  const topUp = (user: TestUser, input: Record<string, unknown>) =>
    t.gql.request<{ topUpWallet: PaymentView }>(
      TOP_UP,
      {
        input: {
          returnUrl: 'https://wallet.example/return',
          idempotencyKey: randomUUID(),
          ...input,
        },
      },
      user.accessToken,
    );
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number(((await db.query(sql, params)) as { n: string | number }[])[0]!.n);
  const statusOf = (viewer: TestUser, id: string, statuses: string[]) =>
    eventually(
      async () => {
        const payment = await getPayment(t, viewer, id);
        return statuses.includes(payment.status) ? payment : undefined;
      },
      { what: `payment ${id} in ${statuses.join('/')}` },
    );
  const clearing = (currency: string): AccountRef => ({
    kind: 'gateway_clearing',
    ownerId: 'wallet',
    currency,
  });
  const merchantBalance = (currency: string): AccountRef => ({
    kind: 'merchant_balance',
    ownerId: merchant.merchantId!,
    currency,
  });

  /** A customer whose USD wallet was topped up by a Stripe card payment captured in the call. */
  const toppedUpCustomer = async (
    amountMinor: number,
  ): Promise<{ user: TestUser; wallet: WalletNode }> => {
    const user = await createUser(t, { role: Role.CUSTOMER });
    const wallet = await openWallet(user);
    const result = await topUp(user, {
      walletId: wallet.id,
      amountMinor,
      paymentMethod: 'CARD',
      gatewayCode: 'stripe',
      paymentMethodToken: 'pm_card_visa',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.topUpWallet.status).toBe('CAPTURED');
    expect((await walletOf(wallet.id)).balanceMinor).toBe(amountMinor);
    return { user, wallet };
  };

  const payFromWallet = async (
    payer: TestUser,
    walletId: string,
    amountMinor: number,
    extra: Record<string, unknown> = {},
  ): Promise<PaymentView> => {
    const order = await createOrder(t, merchant, { currency: 'USD', amountMinor, customer: payer });
    return createPayment(t, payer, {
      orderId: order.id,
      paymentMethod: 'WALLET_BALANCE',
      walletId,
      ...extra,
    });
  };

  beforeAll(async () => {
    t = await createPaymentsTestApp();
    db = t.app.get(DataSource);
    ledger = t.app.get(LedgerService);
    admin = await createUser(t, { role: Role.ADMIN });
    merchant = await createUser(t, { role: Role.MERCHANT });
  });

  afterAll(async () => {
    await t?.close();
  });

  afterEach(async () => {
    await t.resetSimulators();
  });

  describe('top-up', () => {
    it('credits the wallet once although the gateway delivers its callback three times', async () => {
      const user = await createUser(t, { role: Role.CUSTOMER });
      const wallet = await openWallet(user);
      await t.fault('stripe', { action: 'callback_duplicate', count: 3, times: 5 });
      const started = await topUp(user, {
        walletId: wallet.id,
        amountMinor: 5_000,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_threeDSecure2Required',
      });
      expect(started.errors).toBeUndefined();
      const payment = started.data!.topUpWallet;
      expect(payment.status).toBe('REQUIRES_ACTION');
      expect((await walletOf(wallet.id)).balanceMinor).toBe(0);

      await actAsCustomer(
        t,
        'stripe',
        payment.nextAction!,
        payment.attempts[0]!.gatewayReference!,
        'approve',
      );
      await statusOf(user, payment.id, ['CAPTURED']);
      // Let every copy of the callback be processed, then confirm once more on top.
      await eventually(async () =>
        (await count(
          "SELECT COUNT(*) n FROM webhook_events WHERE gateway_code = 'stripe' AND status IN ('PROCESSED', 'IGNORED')",
          [],
        )) >= 1
          ? true
          : undefined,
      );
      await t.gql.ok(CONFIRM_PAYMENT, { input: { paymentId: payment.id } }, user.accessToken);

      const after = await walletOf(wallet.id);
      expect(after).toMatchObject({ balanceMinor: 5_000, availableMinor: 5_000 });
      expect(
        await count(
          "SELECT COUNT(*) n FROM journal_entries WHERE kind = 'wallet.top_up' AND reference LIKE ?",
          [`${payment.attempts[0]!.id}:%`],
        ),
      ).toBe(1);
      // The top-up pays no merchant: clearing for stripe is debited, the wallet credited, no fee.
      expect(
        await count(
          "SELECT COUNT(*) n FROM journal_entries WHERE kind = 'payment.capture' AND reference LIKE ?",
          [`${payment.attempts[0]!.id}:%`],
        ),
      ).toBe(0);
      const statement = await t.gql.ok<{
        walletStatement: { edges: { node: { kind: string; amountMinor: number } }[] };
      }>(STATEMENT, { walletId: wallet.id }, user.accessToken);
      expect(statement.walletStatement.edges.map((edge) => edge.node)).toEqual([
        expect.objectContaining({ kind: 'wallet.top_up', amountMinor: 5_000 }),
      ]);

      // A top-up cannot be refunded: the money may already be spent.
      const refused = await t.gql.request(
        REFUND_PAYMENT,
        { input: { paymentId: payment.id, amountMinor: 1_000 } },
        admin.accessToken,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect((await walletOf(wallet.id)).balanceMinor).toBe(5_000);
    });

    it('tops up a KES wallet through M-Pesa, once, with the STK callback delivered twice', async () => {
      const user = await createUser(t, { role: Role.CUSTOMER });
      const wallet = await openWallet(user, 'KES');
      await t.fault('mpesa', { action: 'callback_duplicate', count: 2, times: 5 });
      const started = await topUp(user, {
        walletId: wallet.id,
        amountMinor: 10_000,
        paymentMethod: 'MOBILE_MONEY',
        customer: { phone: '254708374149' },
      });
      expect(started.errors).toBeUndefined();
      const payment = started.data!.topUpWallet;
      expect(payment.nextAction?.type).toBe('STK_PUSH');
      await actAsCustomer(
        t,
        'mpesa',
        payment.nextAction!,
        payment.attempts[0]!.gatewayReference!,
        'approve',
      );
      await statusOf(user, payment.id, ['CAPTURED']);
      await eventually(async () =>
        (await count(
          "SELECT COUNT(*) n FROM webhook_events WHERE gateway_code = 'mpesa' AND status <> 'RECEIVED'",
          [],
        )) >= 1
          ? true
          : undefined,
      );
      expect((await walletOf(wallet.id)).balanceMinor).toBe(10_000);
      expect(
        await ledger.balanceOf({ kind: 'user_wallet', ownerId: wallet.id, currency: 'KES' }),
      ).toBe(10_000);
    });

    it.each(Object.values(GATEWAY_CASES))(
      'tops up through $code, crediting the wallet when the gateway captures',
      async (gateway) => {
        const user = await createUser(t, { role: Role.CUSTOMER });
        const wallet = await openWallet(user, gateway.currency);
        const started = await topUp(user, {
          walletId: wallet.id,
          amountMinor: gateway.amountMinor,
          paymentMethod: gateway.paymentMethod,
          gatewayCode: gateway.code,
          ...gateway.approve,
        });
        expect(started.errors).toBeUndefined();
        const payment = started.data!.topUpWallet;
        if (payment.status !== 'CAPTURED') {
          await actAsCustomer(
            t,
            gateway.code,
            payment.nextAction ?? { type: 'STK_PUSH', url: null, formFields: null, phone: null },
            payment.attempts[0]!.gatewayReference!,
            'approve',
          );
          if (gateway.code === 'paypal') {
            await t.gql.ok(CONFIRM_PAYMENT, { input: { paymentId: payment.id } }, user.accessToken);
          }
        }
        await statusOf(user, payment.id, ['CAPTURED']);
        const credited = await eventually(async () => {
          const now = await walletOf(wallet.id);
          return now.balanceMinor > 0 ? now : undefined;
        });
        expect(credited).toMatchObject({
          balanceMinor: gateway.amountMinor,
          availableMinor: gateway.amountMinor,
        });
        expect(
          await ledger.balanceOf({
            kind: 'gateway_clearing',
            ownerId: gateway.code,
            currency: gateway.currency,
          }),
        ).toBeGreaterThanOrEqual(gateway.amountMinor);
      },
    );

    it('credits nothing when the card is declined', async () => {
      const user = await createUser(t, { role: Role.CUSTOMER });
      const wallet = await openWallet(user);
      const result = await topUp(user, {
        walletId: wallet.id,
        amountMinor: 2_000,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_chargeDeclined',
      });
      expect(result.data!.topUpWallet.status).toBe('FAILED');
      expect((await walletOf(wallet.id)).balanceMinor).toBe(0);
    });

    it('replays an idempotent retry and refuses frozen, foreign and wallet-funded top-ups', async () => {
      const user = await createUser(t, { role: Role.CUSTOMER });
      const other = await createUser(t, { role: Role.CUSTOMER });
      const wallet = await openWallet(user);
      const input = {
        walletId: wallet.id,
        amountMinor: 1_500,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
        idempotencyKey: randomUUID(),
      };
      const first = await topUp(user, input);
      const again = await topUp(user, input);
      expect(again.data!.topUpWallet.id).toBe(first.data!.topUpWallet.id);
      expect((await walletOf(wallet.id)).balanceMinor).toBe(1_500);
      const mismatch = await topUp(user, { ...input, amountMinor: 1_600 });
      expect(mismatch.errors?.[0]?.extensions?.reason).toBe('IDEMPOTENCY_KEY_MISMATCH');

      const foreign = await topUp(other, { ...input, idempotencyKey: randomUUID() });
      expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      const fromWallet = await topUp(user, {
        walletId: wallet.id,
        amountMinor: 100,
        paymentMethod: 'WALLET_BALANCE',
      });
      expect(fromWallet.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      await t.gql.ok(FREEZE, { input: { walletId: wallet.id } }, admin.accessToken);
      const frozen = await topUp(user, { ...input, idempotencyKey: randomUUID() });
      expect(frozen.errors?.[0]?.extensions?.reason).toBe('WALLET_FROZEN');
      await t.gql.ok(UNFREEZE, { input: { walletId: wallet.id } }, admin.accessToken);
      expect((await walletOf(wallet.id)).balanceMinor).toBe(1_500);

      const merchantCall = await topUp(admin, { ...input, idempotencyKey: randomUUID() });
      expect(merchantCall.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('paying an order from the wallet', () => {
    it('captures at once: the wallet pays the merchant, fees apply, the order is paid, clearing nets to zero', async () => {
      const { user, wallet } = await toppedUpCustomer(10_000);
      const merchantBefore = await ledger.balanceOf(merchantBalance('USD'));
      const payment = await payFromWallet(user, wallet.id, 4_000);
      expect(payment).toMatchObject({
        status: 'CAPTURED',
        capturedMinor: 4_000,
        gatewayCode: 'wallet',
        paymentMethod: 'WALLET_BALANCE',
      });
      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 6_000, heldMinor: 0 });
      // 2.5 % fee by default: the merchant gets 3 900.
      expect((await ledger.balanceOf(merchantBalance('USD'))) - merchantBefore).toBe(3_900);
      expect(await ledger.balanceOf(clearing('USD'))).toBe(0);
      const order = await t.gql.ok<{ order: { status: string } }>(
        ORDER,
        { id: payment.orderId },
        merchant.accessToken,
      );
      expect(order.order.status).toBe('PAID');
      const listed = await t.gql.ok<{ payments: { edges: { node: { id: string } }[] } }>(
        `query { payments(gatewayCode: "wallet", first: 50) { edges { node { id } } } }`,
        {},
        merchant.accessToken,
      );
      expect(listed.payments.edges.map((edge) => edge.node.id)).toContain(payment.id);

      // A partial refund goes back to the wallet; the merchant gives it back.
      const refund = await t.gql.ok<{ refundPayment: { status: string } }>(
        REFUND_PAYMENT,
        { input: { paymentId: payment.id, amountMinor: 1_000, idempotencyKey: randomUUID() } },
        merchant.accessToken,
      );
      expect(refund.refundPayment.status).toBe('SUCCEEDED');
      expect((await walletOf(wallet.id)).balanceMinor).toBe(7_000);
      expect((await ledger.balanceOf(merchantBalance('USD'))) - merchantBefore).toBe(2_900);
      expect(await ledger.balanceOf(clearing('USD'))).toBe(0);
      expect((await getPayment(t, user, payment.id)).status).toBe('PARTIALLY_REFUNDED');
    });

    it('holds with manual capture, captures part and releases the rest; a void releases everything', async () => {
      const { user, wallet } = await toppedUpCustomer(10_000);
      const authorized = await payFromWallet(user, wallet.id, 5_000, { captureMode: 'MANUAL' });
      expect(authorized).toMatchObject({ status: 'AUTHORIZED', authorizedMinor: 5_000 });
      expect(await walletOf(wallet.id)).toMatchObject({
        balanceMinor: 10_000,
        heldMinor: 5_000,
        availableMinor: 5_000,
      });

      const captured = await t.gql.ok<{ capturePayment: PaymentView }>(
        CAPTURE_PAYMENT,
        { input: { paymentId: authorized.id, amountMinor: 3_000 } },
        merchant.accessToken,
      );
      expect(captured.capturePayment).toMatchObject({ status: 'CAPTURED', capturedMinor: 3_000 });
      expect(await walletOf(wallet.id)).toMatchObject({
        balanceMinor: 7_000,
        heldMinor: 0,
        availableMinor: 7_000,
      });

      const second = await payFromWallet(user, wallet.id, 2_000, { captureMode: 'MANUAL' });
      expect((await walletOf(wallet.id)).availableMinor).toBe(5_000);
      const voided = await t.gql.ok<{ cancelPayment: PaymentView }>(
        CANCEL_PAYMENT,
        { input: { paymentId: second.id } },
        merchant.accessToken,
      );
      expect(voided.cancelPayment.status).toBe('CANCELLED');
      expect(await walletOf(wallet.id)).toMatchObject({
        balanceMinor: 7_000,
        availableMinor: 7_000,
      });
      expect(await ledger.balanceOf(clearing('USD'))).toBe(0);
    });

    it('declines without moving money: insufficient funds, a frozen wallet, someone else’s wallet, another currency', async () => {
      const { user, wallet } = await toppedUpCustomer(1_000);
      const stranger = await createUser(t, { role: Role.CUSTOMER });

      const tooMuch = await payFromWallet(user, wallet.id, 1_001);
      expect(tooMuch).toMatchObject({ status: 'FAILED', failureCode: 'insufficient_funds' });

      const foreign = await payFromWallet(stranger, wallet.id, 100);
      expect(foreign).toMatchObject({ status: 'FAILED', failureCode: 'wallet_not_found' });

      const kes = await openWallet(user, 'KES');
      const wrongCurrency = await payFromWallet(user, kes.id, 100);
      expect(wrongCurrency).toMatchObject({ status: 'FAILED', failureCode: 'currency_mismatch' });

      await t.gql.ok(FREEZE, { input: { walletId: wallet.id } }, admin.accessToken);
      const frozen = await payFromWallet(user, wallet.id, 100);
      expect(frozen).toMatchObject({ status: 'FAILED', failureCode: 'wallet_frozen' });
      await t.gql.ok(UNFREEZE, { input: { walletId: wallet.id } }, admin.accessToken);

      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 1_000, heldMinor: 0 });

      const order = await createOrder(t, merchant, {
        currency: 'USD',
        amountMinor: 100,
        customer: user,
      });
      const noWallet = await t.gql.request(
        `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }`,
        {
          input: {
            orderId: order.id,
            paymentMethod: 'WALLET_BALANCE',
            returnUrl: 'https://shop.example/return',
          },
        },
        user.accessToken,
      );
      expect(noWallet.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('never spends more than the balance when payments race for one wallet', async () => {
      const { user, wallet } = await toppedUpCustomer(3_000);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => payFromWallet(user, wallet.id, 1_000)),
      );
      const captured = results.filter((payment) => payment.status === 'CAPTURED');
      expect(captured).toHaveLength(3);
      expect(
        results.filter((payment) => payment.failureCode === 'insufficient_funds'),
      ).toHaveLength(3);
      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 0, availableMinor: 0 });
    });
  });

  it('tells the reconciler the truth about a wallet attempt whose answer was lost', async () => {
    const { user, wallet } = await toppedUpCustomer(2_000);
    const gateway = t.app.get(WalletPaymentGateway);
    const attemptId = randomUUID();
    // As if the API process died after the wallet committed but before the payment was updated.
    await gateway.initiate({
      attemptId,
      amount: { amountMinor: 700, currency: 'USD' },
      captureMode: 'automatic',
      paymentMethod: 'wallet_balance',
      paymentMethodToken: wallet.id,
      description: 'lost answer',
      customer: {},
      returnUrl: 'https://shop.example/return',
      callbackUrl: 'http://127.0.0.1/unused',
      metadata: { payerUserId: user.id },
    });
    // The reconciler knows only the attempt id.
    expect(await gateway.fetchStatus({ id: attemptId })).toMatchObject({
      status: 'captured',
      capturedAmount: { amountMinor: 700, currency: 'USD' },
    });
    expect(await gateway.fetchStatus({ id: randomUUID() })).toMatchObject({
      status: 'declined',
      decline: { gatewayCode: 'not_found' },
    });
    expect((await walletOf(wallet.id)).balanceMinor).toBe(1_300);
  });

  describe('holds over GraphQL (staff)', () => {
    it('places and partly captures a hold into a merchant balance; customers may not', async () => {
      const { user, wallet } = await toppedUpCustomer(5_000);
      const before = await ledger.balanceOf(merchantBalance('USD'));
      const placed = await t.gql.ok<{
        placeWalletHold: { id: string; status: string; reference: string };
      }>(
        PLACE_HOLD,
        {
          input: {
            walletId: wallet.id,
            amountMinor: 2_000,
            expiresInSeconds: 3_600,
            reference: 'manual-settlement-1',
            reason: 'disputed delivery fee',
          },
        },
        admin.accessToken,
      );
      expect(placed.placeWalletHold).toMatchObject({
        status: 'ACTIVE',
        reference: 'staff:manual-settlement-1',
      });
      expect((await walletOf(wallet.id)).availableMinor).toBe(3_000);

      const captured = await t.gql.ok<{
        captureWalletHold: { status: string; capturedAmountMinor: number };
      }>(
        CAPTURE_HOLD,
        {
          input: {
            holdId: placed.placeWalletHold.id,
            amountMinor: 1_200,
            merchantId: merchant.merchantId,
          },
        },
        admin.accessToken,
      );
      expect(captured.captureWalletHold).toMatchObject({
        status: 'CAPTURED',
        capturedAmountMinor: 1_200,
      });
      expect(await walletOf(wallet.id)).toMatchObject({
        balanceMinor: 3_800,
        availableMinor: 3_800,
      });
      expect((await ledger.balanceOf(merchantBalance('USD'))) - before).toBe(1_200);

      const forbidden = await t.gql.request(
        PLACE_HOLD,
        {
          input: {
            walletId: wallet.id,
            amountMinor: 100,
            expiresInSeconds: 3_600,
            reference: 'self-hold',
          },
        },
        user.accessToken,
      );
      expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const overdraw = await t.gql.request(
        PLACE_HOLD,
        {
          input: {
            walletId: wallet.id,
            amountMinor: 3_801,
            expiresInSeconds: 3_600,
            reference: 'too-much',
          },
        },
        admin.accessToken,
      );
      expect(overdraw.errors?.[0]?.extensions?.reason).toBe('WALLET_INSUFFICIENT_FUNDS');

      // A payment's hold is the payment's to settle: staff cannot capture it elsewhere.
      const authorized = await payFromWallet(user, wallet.id, 500, { captureMode: 'MANUAL' });
      expect(authorized.status).toBe('AUTHORIZED');
      const holds = await t.gql.ok<{
        walletHolds: { edges: { node: { id: string; reference: string } }[] };
      }>(
        `query($walletId: ID!) { walletHolds(walletId: $walletId, status: ACTIVE) { edges { node { id reference } } } }`,
        { walletId: wallet.id },
        admin.accessToken,
      );
      const paymentHold = holds.walletHolds.edges.find((edge) =>
        edge.node.reference.startsWith('payment:'),
      )!.node;
      const stolen = await t.gql.request(
        CAPTURE_HOLD,
        { input: { holdId: paymentHold.id, amountMinor: 500, merchantId: merchant.merchantId } },
        admin.accessToken,
      );
      expect(stolen.errors?.[0]?.extensions?.reason).toBe('WALLET_HOLD_NOT_STAFF');
      expect((await getPayment(t, user, authorized.id)).status).toBe('AUTHORIZED');
    });
  });

  describe('review findings', () => {
    const CREATE_RULE = `mutation($input: CreateRiskRuleInput!) { createRiskRule(input: $input) { id } }`;
    const REVIEW = `mutation($input: ReviewPaymentInput!) { reviewPayment(input: $input) { ${PAYMENT_FIELDS} } }`;
    const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`;

    /** A fresh merchant whose USD payments above 100 are held for review (its own rule only). */
    const reviewedMerchant = async (): Promise<TestUser> => {
      const shop = await createUser(t, { role: Role.MERCHANT });
      await t.gql.ok(
        CREATE_RULE,
        {
          input: {
            merchantId: shop.merchantId,
            type: 'AMOUNT_LIMIT',
            currency: 'USD',
            maxAmountMinor: 100,
            action: 'REVIEW',
            description: 'review every wallet payment of this shop',
          },
        },
        admin.accessToken,
      );
      return shop;
    };

    it('an approved review charges the payer’s own wallet, and only theirs', async () => {
      const shop = await reviewedMerchant();
      const { user, wallet } = await toppedUpCustomer(5_000);
      const clearingBefore = await ledger.balanceOf(clearing('USD'));
      const order = await createOrder(t, shop, {
        currency: 'USD',
        amountMinor: 1_000,
        customer: user,
      });
      const held = await createPayment(t, user, {
        orderId: order.id,
        paymentMethod: 'WALLET_BALANCE',
        walletId: wallet.id,
      });
      expect(held.status).toBe('UNDER_REVIEW');
      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 5_000, heldMinor: 0 });
      const approved = await t.gql.ok<{ reviewPayment: PaymentView }>(
        REVIEW,
        { input: { paymentId: held.id, approve: true } },
        admin.accessToken,
      );
      expect(approved.reviewPayment).toMatchObject({ status: 'CAPTURED', capturedMinor: 1_000 });
      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 4_000, heldMinor: 0 });
      expect(await ledger.balanceOf(clearing('USD'))).toBe(clearingBefore);
    });

    it('a merchant cannot bill a customer’s order to that customer’s wallet, not even through a review', async () => {
      const shop = await reviewedMerchant();
      const { user: victim, wallet } = await toppedUpCustomer(5_000);
      const order = await createOrder(t, shop, {
        currency: 'USD',
        amountMinor: 1_000,
        customer: victim,
      });
      const attempt = await t.gql.request<{ createPayment: PaymentView }>(
        CREATE,
        {
          input: {
            orderId: order.id,
            paymentMethod: 'WALLET_BALANCE',
            walletId: wallet.id,
            returnUrl: 'https://shop.example/return',
          },
        },
        shop.accessToken,
      );
      if (attempt.data?.createPayment?.status === 'UNDER_REVIEW') {
        // An admin approving the held payment must not move the victim's money.
        await t.gql.request(
          REVIEW,
          { input: { paymentId: attempt.data.createPayment.id, approve: true } },
          admin.accessToken,
        );
      }
      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 5_000, heldMinor: 0 });
      expect(attempt.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('a top-up order is paid through topUpWallet only: never to the top-up merchant by createPayment', async () => {
      const user = await createUser(t, { role: Role.CUSTOMER });
      const wallet = await openWallet(user);
      const declined = await topUp(user, {
        walletId: wallet.id,
        amountMinor: 2_500,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_chargeDeclined',
      });
      const failed = declined.data!.topUpWallet;
      expect(failed.status).toBe('FAILED');
      // The customer (who sees the still-pending top-up order) retries it as an ordinary payment.
      const byCard = await t.gql.request<{ createPayment: PaymentView }>(
        CREATE,
        {
          input: {
            orderId: failed.orderId,
            paymentMethod: 'CARD',
            gatewayCode: 'stripe',
            paymentMethodToken: 'pm_card_visa',
            returnUrl: 'https://shop.example/return',
          },
        },
        user.accessToken,
      );
      expect(byCard.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const { user: payer, wallet: funded } = await toppedUpCustomer(5_000);
      const other = await t.gql.request<{ createPayment: PaymentView }>(
        CREATE,
        {
          input: {
            orderId: failed.orderId,
            paymentMethod: 'WALLET_BALANCE',
            walletId: funded.id,
            returnUrl: 'https://shop.example/return',
          },
        },
        payer.accessToken,
      );
      expect(other.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
      expect((await walletOf(wallet.id)).balanceMinor).toBe(0);
      expect((await walletOf(funded.id)).balanceMinor).toBe(5_000);
      expect(
        await count("SELECT COUNT(*) n FROM payments WHERE order_id = ? AND status = 'CAPTURED'", [
          failed.orderId,
        ]),
      ).toBe(0);
    });

    it('a merchant user tops up their own wallet and sees the payment', async () => {
      const shopUser = await createUser(t, { role: Role.MERCHANT });
      const wallet = await openWallet(shopUser);
      const result = await topUp(shopUser, {
        walletId: wallet.id,
        amountMinor: 1_200,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.topUpWallet.status).toBe('CAPTURED');
      expect((await walletOf(wallet.id)).balanceMinor).toBe(1_200);
      expect((await getPayment(t, shopUser, result.data!.topUpWallet.id)).status).toBe('CAPTURED');
      // Another merchant's user does not see it.
      const stranger = await t.gql.request(
        `query($id: ID!) { payment(id: $id) { id } }`,
        { id: result.data!.topUpWallet.id },
        merchant.accessToken,
      );
      expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('refuses a manual-capture top-up and one no gateway can take, with clear errors', async () => {
      const user = await createUser(t, { role: Role.CUSTOMER });
      const wallet = await openWallet(user);
      const ordersBefore = await count('SELECT COUNT(*) n FROM orders WHERE customer_id = ?', [
        user.id,
      ]);
      const manual = await topUp(user, {
        walletId: wallet.id,
        amountMinor: 1_000,
        paymentMethod: 'CARD',
        gatewayCode: 'stripe',
        paymentMethodToken: 'pm_card_visa',
        captureMode: 'MANUAL',
      });
      expect(manual.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'WALLET_INVALID_INPUT',
      });
      expect(await count('SELECT COUNT(*) n FROM orders WHERE customer_id = ?', [user.id])).toBe(
        ordersBefore,
      );

      const kes = await openWallet(user, 'KES');
      const tooBig = await topUp(user, {
        walletId: kes.id,
        amountMinor: 9_000_000_000,
        paymentMethod: 'MOBILE_MONEY',
        customer: { phone: '254708374149' },
      });
      expect(tooBig.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'PAYMENT_NO_ELIGIBLE_GATEWAY',
      });
      expect((await walletOf(wallet.id)).balanceMinor).toBe(0);
    });

    it('staff cannot capture a hold into a merchant that does not exist', async () => {
      const { wallet } = await toppedUpCustomer(1_000);
      const placed = await t.gql.ok<{ placeWalletHold: { id: string } }>(
        PLACE_HOLD,
        {
          input: {
            walletId: wallet.id,
            amountMinor: 400,
            expiresInSeconds: 3_600,
            reference: `ghost-${randomUUID()}`,
          },
        },
        admin.accessToken,
      );
      const ghost = await t.gql.request(
        CAPTURE_HOLD,
        {
          input: { holdId: placed.placeWalletHold.id, amountMinor: 400, merchantId: randomUUID() },
        },
        admin.accessToken,
      );
      expect(ghost.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await walletOf(wallet.id)).toMatchObject({ balanceMinor: 1_000, heldMinor: 400 });
    });

    it('a refund still waiting for the wallet lock is not declared failed by the reconciler', async () => {
      const { user, wallet } = await toppedUpCustomer(3_000);
      const clearingBefore = await ledger.balanceOf(clearing('USD'));
      const payment = await payFromWallet(user, wallet.id, 2_000);
      expect(payment.status).toBe('CAPTURED');
      const reconciliation = t.app.get(ReconciliationService);
      // Somebody holds the wallet row (a long transaction): the refund's wallet credit must wait.
      const blocker = db.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      try {
        await blocker.query('SELECT id FROM wallets WHERE id = ? FOR UPDATE', [wallet.id]);
        const refunding = t.gql.request<{ refundPayment: { id: string; status: string } }>(
          REFUND_PAYMENT,
          { input: { paymentId: payment.id, amountMinor: 500 } },
          merchant.accessToken,
        );
        const refundId = await eventually(async () => {
          const rows = (await db.query('SELECT id FROM refunds WHERE payment_id = ?', [
            payment.id,
          ])) as { id: string }[];
          return rows[0]?.id;
        });
        // The reconciler checks meanwhile: the wallet has not been credited yet, but may still be.
        await reconciliation.reconcileRefund(refundId);
        await blocker.commitTransaction();
        const answered = await refunding;
        expect(answered.errors).toBeUndefined();
        const [row] = (await db.query('SELECT status FROM refunds WHERE id = ?', [refundId])) as {
          status: string;
        }[];
        expect(row!.status).toBe('SUCCEEDED');
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
      expect((await walletOf(wallet.id)).balanceMinor).toBe(1_500);
      expect(await ledger.balanceOf(clearing('USD'))).toBe(clearingBefore);
      expect((await getPayment(t, user, payment.id)).status).toBe('PARTIALLY_REFUNDED');
    });
  });

  it('leaves the ledger consistent', async () => {
    const report = await ledger.verify();
    expect(report.ok).toBe(true);
  });
});
