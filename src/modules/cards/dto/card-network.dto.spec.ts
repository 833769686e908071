import 'reflect-metadata';
import { ValidationFailedError } from '../../../common/errors/common.errors';
import { CardNetworkAuthorizationRequest, parseNetworkBody } from './card-network.dto';

const valid = {
  id: 'auth_1',
  cardNumber: '4899991234567897',
  expMonth: 4,
  expYear: 2029,
  cvv: '123',
  amountMinor: 2500,
  currency: 'USD',
  merchant: { name: 'Corner Coffee', categoryCode: '5814', country: 'US' },
};

/** The field names a refused body reports. */
function refusedFields(body: unknown): string[] {
  try {
    parseNetworkBody(CardNetworkAuthorizationRequest, body);
  } catch (error) {
    if (error instanceof ValidationFailedError) return Object.keys(error.fields);
    throw error;
  }
  return [];
}

describe('card network authorization body', () => {
  it('accepts a complete body, and one without a CVV', () => {
    expect(refusedFields(valid)).toEqual([]);
    const { cvv: _cvv, ...withoutCvv } = valid;
    expect(refusedFields(withoutCvv)).toEqual([]);
  });

  it('refuses a null CVV (left out is the only way to send none)', () => {
    expect(refusedFields({ ...valid, cvv: null })).toEqual(['cvv']);
  });

  it('refuses a merchant that is an array, even of valid merchants', () => {
    expect(refusedFields({ ...valid, merchant: [valid.merchant] })).toContain('merchant');
    expect(refusedFields({ ...valid, merchant: [] })).toContain('merchant');
    expect(refusedFields({ ...valid, merchant: 'Corner Coffee' })).toContain('merchant');
  });
});
