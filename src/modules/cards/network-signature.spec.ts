import {
  computeNetworkSignature,
  networkSignatureHeader,
  verifyNetworkSignature,
} from './network-signature';

const SECRET = 'network-secret-0123456789abcdef0123456789';
const BODY = JSON.stringify({ id: 'auth_1', amountMinor: 1500, currency: 'USD' });
const NOW = 1_800_000_000;
const TARGET = '/card-network/authorizations';

describe('card network signature', () => {
  it('accepts a body signed with the secret at a recent time', () => {
    const header = networkSignatureHeader(SECRET, NOW - 10, BODY, TARGET);
    expect(verifyNetworkSignature(header, TARGET, BODY, SECRET, 300, NOW)).toEqual({
      valid: true,
      timestamp: NOW - 10,
    });
    // Buffers and strings sign the same bytes.
    expect(verifyNetworkSignature(header, TARGET, Buffer.from(BODY), SECRET, 300, NOW).valid).toBe(
      true,
    );
  });

  it('signs HMAC-SHA256 of "<t>.<target>\\n<body>" in hex', () => {
    // printf '1./card-network/authorizations\nx' | openssl dgst -sha256 -hmac key
    expect(computeNetworkSignature('key', 1, 'x', TARGET)).toBe(
      '2986af62c47eb8ec7c12f3b01435068ac064921deeb57cd781a7d9d73ee5dcd2',
    );
    expect(networkSignatureHeader('key', 1, 'x', TARGET)).toBe(
      't=1,v1=2986af62c47eb8ec7c12f3b01435068ac064921deeb57cd781a7d9d73ee5dcd2',
    );
  });

  it('binds the signature to the path: a capture or reversal cannot be replayed on another id', () => {
    // The same body ({} for a reversal) for two authorizations: only the path tells them apart.
    const first = '/card-network/authorizations/auth_1/reversal';
    const second = '/card-network/authorizations/auth_2/reversal';
    const header = networkSignatureHeader(SECRET, NOW, '{}', first);
    expect(verifyNetworkSignature(header, first, '{}', SECRET, 300, NOW).valid).toBe(true);
    expect(verifyNetworkSignature(header, second, '{}', SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    // A signature made without the path (body only) is refused too.
    const bodyOnly = networkSignatureHeader(SECRET, NOW, '{}');
    expect(verifyNetworkSignature(bodyOnly, first, '{}', SECRET, 300, NOW).valid).toBe(false);
  });

  it('refuses a tampered body', () => {
    const header = networkSignatureHeader(SECRET, NOW, BODY, TARGET);
    const tampered = BODY.replace('1500', '9500');
    expect(verifyNetworkSignature(header, TARGET, tampered, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses another secret and a changed timestamp', () => {
    const header = networkSignatureHeader('another-secret-0123456789abcdef', NOW, BODY, TARGET);
    expect(verifyNetworkSignature(header, TARGET, BODY, SECRET, 300, NOW).valid).toBe(false);
    const signature = computeNetworkSignature(SECRET, NOW, BODY, TARGET);
    expect(
      verifyNetworkSignature(`t=${NOW + 1},v1=${signature}`, TARGET, BODY, SECRET, 300, NOW),
    ).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses an old (or far future) timestamp even when the signature matches', () => {
    const old = networkSignatureHeader(SECRET, NOW - 301, BODY, TARGET);
    expect(verifyNetworkSignature(old, TARGET, BODY, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'expired',
    });
    const future = networkSignatureHeader(SECRET, NOW + 301, BODY, TARGET);
    expect(verifyNetworkSignature(future, TARGET, BODY, SECRET, 300, NOW).valid).toBe(false);
    const edge = networkSignatureHeader(SECRET, NOW - 300, BODY, TARGET);
    expect(verifyNetworkSignature(edge, TARGET, BODY, SECRET, 300, NOW).valid).toBe(true);
  });

  it('refuses missing and malformed headers', () => {
    expect(verifyNetworkSignature(undefined, TARGET, BODY, SECRET, 300, NOW)).toEqual({
      valid: false,
      reason: 'missing',
    });
    for (const header of ['', 'garbage', `t=${NOW}`, 'v1=abc', `t=abc,v1=${'0'.repeat(64)}`]) {
      expect(verifyNetworkSignature(header, TARGET, BODY, SECRET, 300, NOW).valid).toBe(false);
    }
  });

  it('accepts the right signature among several v1 values (secret rotation)', () => {
    const good = computeNetworkSignature(SECRET, NOW, BODY, TARGET);
    const header = `t=${NOW},v1=${'0'.repeat(64)},v1=${good}`;
    expect(verifyNetworkSignature(header, TARGET, BODY, SECRET, 300, NOW).valid).toBe(true);
  });
});
