import { randomInt, randomUUID } from 'node:crypto';
import type { AuthUser } from '../../src/common/auth/auth-user';
import { DomainError } from '../../src/common/errors/domain-error';
import type { AuditActor } from '../../src/modules/audit/audit.types';
import { CardAuthorizationsService } from '../../src/modules/cards/card-authorizations.service';
import { VirtualCardsService } from '../../src/modules/cards/virtual-cards.service';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { OrdersService } from '../../src/modules/orders/orders.service';
import { PaymentsService } from '../../src/modules/payments/payments.service';
import { Role } from '../../src/modules/users/role';
import type { WalletEntity } from '../../src/modules/wallets/entities/wallet.entity';
import { FxRatesService } from '../../src/modules/wallets/fx/fx-rates.service';
import { WalletConversionsService } from '../../src/modules/wallets/fx/wallet-conversions.service';
import { walletAccount } from '../../src/modules/wallets/wallet-accounts';
import { WalletAdjustmentsService } from '../../src/modules/wallets/wallet-adjustments.service';
import { WalletHoldsService } from '../../src/modules/wallets/wallet-holds.service';
import { WalletTransfersService } from '../../src/modules/wallets/wallet-transfers.service';
import { WalletErrorCode } from '../../src/modules/wallets/wallets.errors';
import { WalletsService } from '../../src/modules/wallets/wallets.service';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

const USERS = 4;
const WORKERS = 32;
const DURATION_MS = 8_000;
const INITIAL_USD = 60_000;
const MAX_AMOUNT = 1_500;

type Operation = 'transfer' | 'payment' | 'card' | 'fx' | 'staffHold';
const OPERATIONS: readonly Operation[] = ['transfer', 'payment', 'card', 'fx', 'staffHold'];

/**
 * Every way money leaves or moves between wallets, at once, on the same few wallets: transfers,
 * wallet payments to a merchant, card authorizations then capture or reversal, FX conversions and
 * staff holds. Each operation that reports success says what it moved; afterwards every wallet's
 * balance must equal its funding plus what the successes say, nothing may be negative or
 * over-held, the wallet clearing account must net to zero, and the ledger must verify.
 */
describe('Wallets under mixed contention (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it(`keeps every wallet exact with ${WORKERS} workers mixing all wallet operations`, async () => {
    const wallets = t.app.get(WalletsService);
    const adjustments = t.app.get(WalletAdjustmentsService);
    const transfers = t.app.get(WalletTransfersService);
    const holds = t.app.get(WalletHoldsService);
    const orders = t.app.get(OrdersService);
    const payments = t.app.get(PaymentsService);
    const cards = t.app.get(VirtualCardsService);
    const authorizations = t.app.get(CardAuthorizationsService);
    const rates = t.app.get(FxRatesService);
    const conversions = t.app.get(WalletConversionsService);
    const ledger = t.app.get(LedgerService);

    const [admin, secondAdmin, merchant] = [
      await createUser(t, { role: Role.ADMIN }),
      await createUser(t, { role: Role.ADMIN }),
      await createUser(t, { role: Role.MERCHANT }),
    ];
    const actorOf = (user: TestUser): AuditActor => ({
      type: 'user',
      id: user.id,
      role: user.role,
    });
    const network: AuditActor = { type: 'gateway', id: 'card_network' };
    const callerOf = (user: TestUser): AuthUser => ({
      kind: 'user',
      userId: user.id,
      role: user.role,
      merchantId: user.merchantId,
    });
    await rates.setRate(
      { baseCurrency: 'USD', quoteCurrency: 'KES', rate: '129.5', feeBps: 100 },
      admin.id,
      actorOf(admin),
    );

    const users: TestUser[] = [];
    const usd: WalletEntity[] = [];
    const kes: WalletEntity[] = [];
    const cardOf: { number: string; cvv: string; expMonth: number; expYear: number }[] = [];
    for (let index = 0; index < USERS; index++) {
      const user = await createUser(t);
      users.push(user);
      const wallet = await wallets.open(user.id, 'USD', actorOf(user));
      await wallets.setLimits(
        wallet.id,
        { dailyTransferLimitMinor: Number.MAX_SAFE_INTEGER, maxTransferMinor: MAX_AMOUNT },
        actorOf(admin),
      );
      const proposal = await adjustments.propose(
        admin.id,
        wallet.id,
        INITIAL_USD,
        'mixed contention funding',
        actorOf(admin),
      );
      await adjustments.approve(secondAdmin.id, proposal.id, actorOf(secondAdmin));
      usd.push(wallet);
      kes.push(await wallets.open(user.id, 'KES', actorOf(user)));
      const issued = await cards.issue(callerOf(user), { walletId: wallet.id }, actorOf(user));
      cardOf.push({
        number: issued.number,
        cvv: issued.cvv,
        expMonth: issued.card.expMonth,
        expYear: issued.card.expYear,
      });
    }

    // What each successful operation says it did to each wallet (USD and KES, by user index).
    const expectedUsd = users.map(() => INITIAL_USD);
    const expectedKes = users.map(() => 0);
    const counts: Record<Operation, number> = {
      transfer: 0,
      payment: 0,
      card: 0,
      fx: 0,
      staffHold: 0,
    };
    let refused = 0;
    const unexpected: string[] = [];
    const isRefusal = (error: unknown) =>
      error instanceof DomainError &&
      (error.code === WalletErrorCode.WALLET_INSUFFICIENT_FUNDS ||
        error.code === WalletErrorCode.WALLET_LIMIT_EXCEEDED);

    const once = async (operation: Operation, from: number, amount: number): Promise<void> => {
      const user = users[from];
      switch (operation) {
        case 'transfer': {
          const to = (from + 1 + randomInt(USERS - 1)) % USERS;
          await transfers.transfer(callerOf(user), actorOf(user), {
            fromWalletId: usd[from].id,
            toEmail: users[to].email,
            amountMinor: amount,
            currency: 'USD',
            idempotencyKey: randomUUID(),
          });
          expectedUsd[from] -= amount;
          expectedUsd[to] += amount;
          break;
        }
        case 'payment': {
          const order = await orders.createFor(merchant.merchantId!, {
            currency: 'USD',
            lineItems: [{ name: 'Coffee', quantity: 1, unitAmountMinor: amount }],
            customerId: user.id,
          });
          const payment = await payments.create(callerOf(user), actorOf(user), {
            orderId: order.id,
            paymentMethod: 'wallet_balance',
            walletId: usd[from].id,
            returnUrl: 'https://shop.example/return',
          });
          if (payment.status === 'CAPTURED') expectedUsd[from] -= amount;
          else if (payment.failureCode === 'insufficient_funds') return void refused++;
          else throw new Error(`payment ${payment.status} ${payment.failureCode}`);
          break;
        }
        case 'card': {
          const card = cardOf[from];
          const id = `mix_${randomUUID()}`;
          const decision = await authorizations.authorize(
            {
              id,
              cardNumber: card.number,
              expMonth: card.expMonth,
              expYear: card.expYear,
              cvv: card.cvv,
              amountMinor: amount,
              currency: 'USD',
              merchant: { name: 'Corner Cafe', categoryCode: '5814', country: 'US' },
            },
            network,
          );
          if (!decision.approved) {
            if (decision.declineCode === 'insufficient_funds') return void refused++;
            throw new Error(`card declined: ${decision.declineCode}`);
          }
          if (randomInt(3) === 0) {
            await authorizations.reverse(id, network);
          } else {
            const captured = 1 + randomInt(amount);
            await authorizations.capture(id, captured, network);
            expectedUsd[from] -= captured;
          }
          break;
        }
        case 'fx': {
          const conversion = await conversions.convert(callerOf(user), actorOf(user), {
            fromWalletId: usd[from].id,
            toWalletId: kes[from].id,
            amountMinor: amount,
            idempotencyKey: randomUUID(),
          });
          expectedUsd[from] -= conversion.fromAmountMinor;
          expectedKes[from] += conversion.netToMinor;
          break;
        }
        case 'staffHold': {
          const hold = await holds.placeStaffHold(
            {
              walletId: usd[from].id,
              amountMinor: amount,
              expiresAt: new Date(Date.now() + 60_000),
              reference: randomUUID(),
            },
            actorOf(admin),
          );
          if (randomInt(2) === 0) {
            await holds.releaseHold(hold.id, actorOf(admin));
          } else {
            await holds.captureStaffHold(hold.id, amount, merchant.merchantId!, actorOf(admin));
            expectedUsd[from] -= amount;
          }
          break;
        }
      }
      counts[operation]++;
    };

    const deadline = Date.now() + DURATION_MS;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (Date.now() < deadline) {
          const operation = OPERATIONS[randomInt(OPERATIONS.length)];
          try {
            await once(operation, randomInt(USERS), 1 + randomInt(MAX_AMOUNT));
          } catch (error) {
            if (isRefusal(error)) refused++;
            else unexpected.push(`${operation}: ${(error as Error).message}`);
          }
        }
      }),
    );

    console.log(`mixed contention: ${JSON.stringify(counts)}, ${refused} refused for funds`);
    expect(unexpected).toEqual([]);
    for (const operation of OPERATIONS) expect(counts[operation]).toBeGreaterThan(0);

    for (let index = 0; index < USERS; index++) {
      const [usdBalances, kesBalances] = await Promise.all([
        wallets.balancesOfOne(usd[index]),
        wallets.balancesOfOne(kes[index]),
      ]);
      expect({ user: index, usd: usdBalances.balanceMinor, kes: kesBalances.balanceMinor }).toEqual(
        { user: index, usd: expectedUsd[index], kes: expectedKes[index] },
      );
      expect(usdBalances.availableMinor).toBeGreaterThanOrEqual(0);
      expect(await ledger.balanceOf(walletAccount(usd[index]))).toBe(expectedUsd[index]);
    }
    // Every wallet payment's hold capture was matched by the payment's own booking.
    expect(
      await ledger.balanceOf({ kind: 'gateway_clearing', ownerId: 'wallet', currency: 'USD' }),
    ).toBe(0);
    const report = await ledger.verify();
    expect(report.ok).toBe(true);
  });
});
