import { sanitizeAuditDetails } from './audit-details';

describe('sanitizeAuditDetails', () => {
  it('keeps plain JSON and converts dates and bigints', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(
      sanitizeAuditDetails({ amountMinor: 1050, currency: 'KES', at, big: BigInt(7), list: [1] }),
    ).toEqual({ amountMinor: 1050, currency: 'KES', at: at.toISOString(), big: '7', list: [1] });
  });

  it('redacts secret-looking keys at any depth', () => {
    expect(
      sanitizeAuditDetails({
        gateway: { accessToken: 'x', clientSecret: 'y', cardNumber: '4242424242424242' },
        password: 'p',
        pin: '1234',
        shipping: 'kept',
      }),
    ).toEqual({
      gateway: { accessToken: '[redacted]', clientSecret: '[redacted]', cardNumber: '[redacted]' },
      password: '[redacted]',
      pin: '[redacted]',
      shipping: 'kept',
    });
  });

  it('drops functions and undefined, and cuts cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1, skip: undefined, fn: () => 1 };
    cyclic.self = cyclic;
    expect(sanitizeAuditDetails(cyclic)).toEqual({ a: 1, self: '[truncated]' });
    expect(sanitizeAuditDetails(undefined)).toBeNull();
  });
});
