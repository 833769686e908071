import { Kind } from 'graphql';
import { SafeIntScalar } from './safe-int.scalar';

describe('SafeIntScalar', () => {
  it('accepts integers beyond 32 bits and digit strings', () => {
    expect(SafeIntScalar.parseValue(9_007_199_254_740_991)).toBe(9_007_199_254_740_991);
    expect(SafeIntScalar.parseValue('-2147483649')).toBe(-2_147_483_649);
    expect(SafeIntScalar.parseLiteral({ kind: Kind.INT, value: '4294967296' })).toBe(4_294_967_296);
  });

  it.each([1.5, '1.5', 2 ** 53, Number.NaN, '12abc', true, null])('refuses %p', (value) => {
    expect(() => SafeIntScalar.parseValue(value)).toThrow(/SafeInt/);
  });

  it('refuses float and boolean literals', () => {
    expect(() => SafeIntScalar.parseLiteral({ kind: Kind.FLOAT, value: '1.5' })).toThrow();
    expect(() => SafeIntScalar.parseLiteral({ kind: Kind.BOOLEAN, value: true })).toThrow();
  });
});
