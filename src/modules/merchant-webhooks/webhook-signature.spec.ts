import { createHmac } from 'node:crypto';
import {
  computeSignature,
  generateSigningSecret,
  signatureHeader,
  verifySignatureHeader,
} from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'pwhsec_test-secret';
  const body = '{"id":"evt_1","type":"payment.captured","sequence":1}';
  const t = 1_800_000_000;

  it('signs "<t>.<raw body>" with HMAC-SHA256 under the secret, as hex', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(computeSignature(secret, t, body)).toBe(expected);
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('signs the same bytes whether given a string or a buffer', () => {
    expect(computeSignature(secret, t, Buffer.from(body))).toBe(computeSignature(secret, t, body));
  });

  it('verifies its own header within the tolerance', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: t + 299 })).toEqual({
      valid: true,
      timestamp: t,
    });
  });

  it('refuses a changed body, another secret, or a changed timestamp', () => {
    const header = signatureHeader(secret, t, body);
    const options = { nowSeconds: t };
    expect(verifySignatureHeader(header, `${body} `, secret, options)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifySignatureHeader(header, body, 'pwhsec_other', options)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    const shifted = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifySignatureHeader(shifted, body, secret, options)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses a timestamp older than five minutes, even with a valid signature', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: t + 301 })).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it.each([undefined, '', 't=abc,v1=00', `v1=${'a'.repeat(64)}`, `t=${t}`, `t=${t},v1=zz`])(
    'refuses the malformed header %p',
    (header) => {
      expect(verifySignatureHeader(header, body, secret, { nowSeconds: t })).toEqual({
        valid: false,
        reason: 'malformed',
      });
    },
  );

  it('accepts any matching v1 among several (as during a secret change)', () => {
    const header = `t=${t},v1=${'0'.repeat(64)},v1=${computeSignature(secret, t, body)}`;
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: t }).valid).toBe(true);
  });

  it('generates distinct, prefixed secrets', () => {
    const first = generateSigningSecret();
    expect(first).toMatch(/^pwhsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSigningSecret()).not.toBe(first);
  });
});
