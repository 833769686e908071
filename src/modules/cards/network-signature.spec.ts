import {
  computeNetworkSignature,
  networkSignatureHeader,
  verifyNetworkSignature,
} from './network-signature';

const SECRET = 'network-secret-0123456789abcdef0123456789';
const BODY = JSON.stringify({ id: 'auth_1', amountMinor: 1500, currency: 'USD' });
const NOW = 1_800_000_000;

describe('card network signature', () => {
  it('accepts a body signed with the secret at a recent time', () => {
    const header = networkSignatureHeader(SECRET, NOW - 10, BODY);
    expect(verifyNetworkSignature(header, BODY, SECRET, 300, NOW)).toEqual({
      valid: true,
      timestamp: NOW - 10,
    });
    // Buffers and strings sign the same bytes.
    expect(verifyNetworkSignature(header, Buffer.from(BODY), SECRET, 300, NOW).valid).toBe(true);
  });

  it('signs HMAC-SHA256 of "<t>.<body>" in hex', () => {
    // printf '1.x' | openssl dgst -sha256 -hmac key
    expect(computeNetworkSignature('key', 1, 'x')).toBe(
      'fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec',
    );
    expect(networkSignatureHeader('key', 1, 'x')).toBe(
      't=1,v1=fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec',
    );
  });

  it('refuses a tampered body', () => {
    const header = networkSignatureHeader(SECRET, NOW, BODY);
    const tampered = BODY.replace('1500', '9500');
    expect(verifyNetworkSignature(header, tampered, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses another secret and a changed timestamp', () => {
    const header = networkSignatureHeader('another-secret-0123456789abcdef', NOW, BODY);
    expect(verifyNetworkSignature(header, BODY, SECRET, 300, NOW).valid).toBe(false);
    const signature = computeNetworkSignature(SECRET, NOW, BODY);
    expect(verifyNetworkSignature(`t=${NOW + 1},v1=${signature}`, BODY, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses an old (or far future) timestamp even when the signature matches', () => {
    const old = networkSignatureHeader(SECRET, NOW - 301, BODY);
    expect(verifyNetworkSignature(old, BODY, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'expired',
    });
    const future = networkSignatureHeader(SECRET, NOW + 301, BODY);
    expect(verifyNetworkSignature(future, BODY, SECRET, 300, NOW).valid).toBe(false);
    const edge = networkSignatureHeader(SECRET, NOW - 300, BODY);
    expect(verifyNetworkSignature(edge, BODY, SECRET, 300, NOW).valid).toBe(true);
  });

  it('refuses missing and malformed headers', () => {
    expect(verifyNetworkSignature(undefined, BODY, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'missing',
    });
    for (const header of ['', 'garbage', `t=${NOW}`, 'v1=abc', `t=abc,v1=${'0'.repeat(64)}`]) {
      expect(verifyNetworkSignature(header, BODY, SECRET, 300, NOW).valid).toBe(false);
    }
  });

  it('accepts the right signature among several v1 values (secret rotation)', () => {
    const good = computeNetworkSignature(SECRET, NOW, BODY);
    const header = `t=${NOW},v1=${'0'.repeat(64)},v1=${good}`;
    expect(verifyNetworkSignature(header, BODY, SECRET, 300, NOW).valid).toBe(true);
  });
});
