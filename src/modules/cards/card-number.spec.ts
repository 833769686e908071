import {
  brandForBin,
  deriveCvv,
  expiryFrom,
  generatePan,
  isCardExpired,
  isLuhnValid,
  last4Of,
  luhnCheckDigit,
  panFingerprint,
} from './card-number';

const KEY = 'test-cvv-key-0123456789abcdef0123456789';

describe('Luhn', () => {
  it('computes the check digit of known numbers', () => {
    // Published test numbers: the last digit is the check digit of the rest.
    expect(luhnCheckDigit('424242424242424')).toBe(2);
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    expect(luhnCheckDigit('555555555555444')).toBe(4);
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });

  it('accepts valid numbers and refuses any single-digit change', () => {
    expect(isLuhnValid('4242424242424242')).toBe(true);
    expect(isLuhnValid('79927398713')).toBe(false); // too short for a card
    expect(isLuhnValid('4242424242424241')).toBe(false);
    expect(isLuhnValid('4242424242424252')).toBe(false);
    expect(isLuhnValid('42424242424242a2')).toBe(false);
    expect(isLuhnValid('')).toBe(false);
  });

  it('catches every adjacent transposition except 09/90', () => {
    const number = `489999123456789${luhnCheckDigit('489999123456789')}`;
    for (let index = 0; index < number.length - 1; index++) {
      const [left, right] = [number[index]!, number[index + 1]!];
      if (left === right || `${left}${right}` === '09' || `${left}${right}` === '90') continue;
      const swapped = `${number.slice(0, index)}${right}${left}${number.slice(index + 2)}`;
      expect(isLuhnValid(swapped)).toBe(false);
    }
    expect(isLuhnValid(number)).toBe(true);
  });

  it('refuses non-digits', () => {
    expect(() => luhnCheckDigit('12a4')).toThrow();
  });
});

describe('generatePan', () => {
  it('makes 16-digit Luhn-valid numbers under the BIN', () => {
    for (let index = 0; index < 200; index++) {
      const pan = generatePan('489999');
      expect(pan).toMatch(/^489999\d{10}$/);
      expect(isLuhnValid(pan)).toBe(true);
    }
    const eight = generatePan('41234567');
    expect(eight).toHaveLength(16);
    expect(eight.startsWith('41234567')).toBe(true);
    expect(isLuhnValid(eight)).toBe(true);
  });

  it('uses the random source for the middle digits', () => {
    expect(generatePan('489999', () => 0)).toBe(
      `489999000000000${luhnCheckDigit('489999000000000')}`,
    );
  });

  it('refuses a BIN that is not 6 to 8 digits', () => {
    expect(() => generatePan('12345')).toThrow();
    expect(() => generatePan('123456789')).toThrow();
    expect(() => generatePan('12345a')).toThrow();
  });

  it('names the brand from the BIN and keeps only the last four digits', () => {
    expect(brandForBin('489999')).toBe('VISA');
    expect(brandForBin('510000')).toBe('MASTERCARD');
    expect(brandForBin('222100')).toBe('MASTERCARD');
    expect(brandForBin('370000')).toBe('AMEX');
    expect(brandForBin('600000')).toBe('CARD');
    expect(last4Of('4899990000001234')).toBe('1234');
  });
});

describe('deriveCvv', () => {
  const pan = '4899991234567897';

  it('is three digits and deterministic', () => {
    const cvv = deriveCvv(KEY, pan, 2029, 4);
    expect(cvv).toMatch(/^\d{3}$/);
    expect(deriveCvv(KEY, pan, 2029, 4)).toBe(cvv);
  });

  it('changes with the key, the number and the expiry', () => {
    // Each input changes the HMAC; over many variations the 3 digits must differ almost always.
    const base = deriveCvv(KEY, pan, 2029, 4);
    const variants = [
      ...Array.from({ length: 20 }, (_, index) => deriveCvv(`${KEY}${index}`, pan, 2029, 4)),
      ...Array.from({ length: 20 }, (_, index) =>
        deriveCvv(
          KEY,
          generatePan('489999', () => index % 10),
          2029,
          4,
        ),
      ),
      ...Array.from({ length: 12 }, (_, index) => deriveCvv(KEY, pan, 2029, index + 1)),
      ...Array.from({ length: 20 }, (_, index) => deriveCvv(KEY, pan, 2030 + index, 4)),
    ];
    const differing = variants.filter((cvv) => cvv !== base).length;
    // One in a thousand per variant could collide by chance; nearly all must differ.
    expect(differing).toBeGreaterThanOrEqual(variants.length - 3);
    expect(new Set(variants).size).toBeGreaterThan(40);
  });

  it('pads small values to three digits', () => {
    const values = Array.from({ length: 2000 }, (_, index) => deriveCvv(KEY, pan, 2000 + index, 1));
    expect(values.every((value) => /^\d{3}$/.test(value))).toBe(true);
    expect(values.some((value) => value.startsWith('0'))).toBe(true);
  });
});

describe('panFingerprint', () => {
  it('is a keyed hex HMAC that never contains the number', () => {
    const pan = '4899991234567897';
    const fingerprint = panFingerprint('lookup-key', pan);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).toBe(panFingerprint('lookup-key', pan));
    expect(fingerprint).not.toBe(panFingerprint('other-key', pan));
    expect(fingerprint).not.toContain(pan);
  });
});

describe('expiry', () => {
  it('counts whole months from the issue date', () => {
    expect(expiryFrom(new Date('2026-01-15T00:00:00Z'), 36)).toEqual({
      expMonth: 1,
      expYear: 2029,
    });
    expect(expiryFrom(new Date('2026-11-30T23:00:00Z'), 2)).toEqual({ expMonth: 1, expYear: 2027 });
    expect(expiryFrom(new Date('2026-12-01T00:00:00Z'), 12)).toEqual({
      expMonth: 12,
      expYear: 2027,
    });
  });

  it('keeps a card good to the last instant of its expiry month (UTC)', () => {
    expect(isCardExpired(2027, 2, new Date('2027-02-28T23:59:59.999Z'))).toBe(false);
    expect(isCardExpired(2027, 2, new Date('2027-03-01T00:00:00.000Z'))).toBe(true);
    expect(isCardExpired(2027, 12, new Date('2027-12-31T23:59:59.999Z'))).toBe(false);
    expect(isCardExpired(2027, 12, new Date('2028-01-01T00:00:00.000Z'))).toBe(true);
  });
});
