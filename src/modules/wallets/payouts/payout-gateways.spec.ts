import { WalletError } from '../wallets.errors';
import { maskRecipient, payoutRecipient, PayoutGateway, preflightPayout } from './payout-gateways';

const kes = (amountMinor: number) => ({ amountMinor, currency: 'KES' });
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const fieldsOf = (run: () => unknown): Record<string, string[]> => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WalletError);
    return (error as WalletError).details.fields as Record<string, string[]>;
  }
  throw new Error('expected a refusal');
};

describe('payout preflight', () => {
  it('normalises an M-Pesa phone to the 12-digit MSISDN', () => {
    expect(preflightPayout(PayoutGateway.MPESA, kes(10_000), { phone: '+254708374149' })).toBe(
      '254708374149',
    );
    expect(preflightPayout(PayoutGateway.MPESA, kes(10_000), { phone: '0708374149' })).toBe(
      '254708374149',
    );
  });

  it('refuses what M-Pesa would refuse, naming the field', () => {
    expect(
      Object.keys(
        fieldsOf(() =>
          preflightPayout(PayoutGateway.MPESA, kes(10_050), { phone: '254708374149' }),
        ),
      ),
    ).toEqual(['amountMinor']);
    expect(
      Object.keys(fieldsOf(() => preflightPayout(PayoutGateway.MPESA, kes(10_000), {}))),
    ).toEqual(['phone']);
    expect(
      Object.keys(
        fieldsOf(() => preflightPayout(PayoutGateway.MPESA, kes(10_000), { phone: '14155550100' })),
      ),
    ).toEqual(['phone']);
    expect(
      Object.keys(
        fieldsOf(() =>
          preflightPayout(PayoutGateway.MPESA, kes(10_000), {
            phone: '254708374149',
            email: 'a@example.com',
          }),
        ),
      ),
    ).toEqual(['email']);
  });

  it('takes an email for PayPal, lower-cased, and refuses a phone or none', () => {
    expect(
      preflightPayout(PayoutGateway.PAYPAL, usd(1_000), { email: ' Payee@Example.COM ' }),
    ).toBe('payee@example.com');
    expect(
      Object.keys(fieldsOf(() => preflightPayout(PayoutGateway.PAYPAL, usd(1_000), {}))),
    ).toEqual(['email']);
    expect(
      Object.keys(
        fieldsOf(() =>
          preflightPayout(PayoutGateway.PAYPAL, usd(1_000), { phone: '254708374149' }),
        ),
      ),
    ).toEqual(['phone']);
    // HUF: whole forints only at PayPal.
    expect(
      Object.keys(
        fieldsOf(() =>
          preflightPayout(
            PayoutGateway.PAYPAL,
            { amountMinor: 150, currency: 'HUF' },
            {
              email: 'a@example.com',
            },
          ),
        ),
      ),
    ).toEqual(['amountMinor']);
  });

  it('hands the stored recipient to the gateway in the right field', () => {
    expect(payoutRecipient('mpesa', '254708374149')).toEqual({ phone: '254708374149' });
    expect(payoutRecipient('paypal', 'a@example.com')).toEqual({ email: 'a@example.com' });
  });

  it('masks recipients for logs', () => {
    expect(maskRecipient('254708374149')).toBe('2547*****149');
    expect(maskRecipient('alice@example.com')).toBe('a***@example.com');
    expect(maskRecipient('12345')).toBe('***');
  });
});
