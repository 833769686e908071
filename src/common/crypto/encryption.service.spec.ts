import { randomBytes } from 'node:crypto';

import {
  EncryptionError,
  EncryptionService,
  parseEncryptionKeys,
  toEncryptionOptions,
} from './encryption.service';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

const serviceWith = (currentKeyId: string, keys: Record<string, Buffer> = { k1, k2 }) =>
  new EncryptionService({ currentKeyId, keys });

// Swaps one character of a base64url part for another valid one, keeping the length.
const alterPart = (token: string, index: number): string => {
  const parts = token.split('.');
  const part = parts[index]!;
  const first = part[0] === 'A' ? 'B' : 'A';
  parts[index] = `${first}${part.slice(1)}`;
  return parts.join('.');
};

const expectEncryptionError = (run: () => unknown, reason: EncryptionError['reason']) => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EncryptionError);
  expect((caught as EncryptionError).reason).toBe(reason);
};

describe('EncryptionService', () => {
  const service = serviceWith('k2');

  it('decrypts what it encrypted, with and without associated data', () => {
    for (const plaintext of ['', '4111 1111 1111 1111', 'ünïcødé ✓ 🔐', 'x'.repeat(10_000)]) {
      expect(service.decrypt(service.encrypt(plaintext))).toBe(plaintext);
      expect(service.decrypt(service.encrypt(plaintext, 'row-42'), 'row-42')).toBe(plaintext);
    }
  });

  it('writes a v1 token naming the current key, with a fresh IV each time', () => {
    const first = service.encrypt('secret');
    const second = service.encrypt('secret');
    expect(first).toMatch(/^v1\.k2\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(first).not.toBe(second);
  });

  it('decrypts values written with an older key that is still configured', () => {
    const old = serviceWith('k1').encrypt('legacy', 'row-1');
    expect(service.decrypt(old, 'row-1')).toBe('legacy');
  });

  it('flags values on an older key for rotation and re-encrypts them with the current key', () => {
    const old = serviceWith('k1').encrypt('legacy', 'row-1');
    expect(service.needsRotation(old)).toBe(true);

    const rotated = service.rotate(old, 'row-1');
    expect(rotated.split('.')[1]).toBe('k2');
    expect(service.needsRotation(rotated)).toBe(false);
    expect(service.decrypt(rotated, 'row-1')).toBe('legacy');
  });

  it('leaves a value already on the current key unchanged when rotating', () => {
    const current = service.encrypt('fresh', 'row-2');
    expect(service.rotate(current, 'row-2')).toBe(current);
  });

  it('refuses to rotate a value whose associated data does not match', () => {
    const old = serviceWith('k1').encrypt('legacy', 'row-1');
    expectEncryptionError(() => service.rotate(old, 'row-2'), 'not_authentic');
    expectEncryptionError(
      () => service.rotate(service.encrypt('x', 'row-1'), 'row-2'),
      'not_authentic',
    );
  });

  it.each([
    [2, 'IV'],
    [3, 'tag'],
    [4, 'ciphertext'],
  ])('rejects a token whose part %i (%s) was altered', (index) => {
    const token = service.encrypt('card data', 'row-7');
    expectEncryptionError(() => service.decrypt(alterPart(token, index), 'row-7'), 'not_authentic');
  });

  it('rejects a token whose key id was switched to another configured key', () => {
    const token = service.encrypt('card data');
    expectEncryptionError(
      () => service.decrypt(token.replace(/^v1\.k2\./, 'v1.k1.')),
      'not_authentic',
    );
  });

  it('rejects a token with an unsupported version', () => {
    const token = service.encrypt('card data');
    expectEncryptionError(() => service.decrypt(token.replace(/^v1\./, 'v2.')), 'malformed');
  });

  it('rejects a token with truncated or extended parts', () => {
    const [version, keyId, iv, tag, ciphertext] = service.encrypt('card data').split('.') as [
      string,
      string,
      string,
      string,
      string,
    ];
    const rebuild = (parts: string[]) => parts.join('.');
    expectEncryptionError(
      () => service.decrypt(rebuild([version, keyId, iv.slice(0, -2), tag, ciphertext])),
      'malformed',
    );
    expectEncryptionError(
      () => service.decrypt(rebuild([version, keyId, iv, tag.slice(0, 16), ciphertext])),
      'malformed',
    );
    expectEncryptionError(
      () => service.decrypt(rebuild([version, keyId, iv, tag, `${ciphertext}AA`])),
      'not_authentic',
    );
    // Dropping a whole 4-character group keeps the encoding canonical: the cipher refuses it.
    expectEncryptionError(
      () => service.decrypt(rebuild([version, keyId, iv, tag, ciphertext.slice(0, -4)])),
      'not_authentic',
    );
    // A single dangling character can never be canonical base64url, whatever the random bytes.
    expectEncryptionError(
      () => service.decrypt(rebuild([version, keyId, iv, tag, `${ciphertext}A`])),
      'malformed',
    );
  });

  it.each([
    '',
    'not a token',
    'v1.k2.a.b',
    'v1.k2.a.b.c.d',
    'v1.k 2.AAAA.AAAA.AAAA',
    'v1.k2.a+b.c.d',
  ])('rejects the malformed token %p', (token) => {
    expectEncryptionError(() => service.decrypt(token), 'malformed');
  });

  it('rejects a non-canonical base64url encoding of an otherwise valid token', () => {
    const token = service.encrypt('card data');
    const parts = token.split('.');
    // A 16-byte tag leaves 4 unused bits in its last character; set one of them.
    const last = parts[3]!.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    parts[3] = `${parts[3]!.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;
    expectEncryptionError(() => service.decrypt(parts.join('.')), 'malformed');
  });

  it('rejects the wrong associated data, and missing or unexpected associated data', () => {
    const bound = service.encrypt('card data', 'row-1');
    expectEncryptionError(() => service.decrypt(bound, 'row-2'), 'not_authentic');
    expectEncryptionError(() => service.decrypt(bound), 'not_authentic');
    expectEncryptionError(
      () => service.decrypt(service.encrypt('card data'), 'row-1'),
      'not_authentic',
    );
  });

  it('rejects a token naming a key that is not configured', () => {
    const token = serviceWith('k3', { k3: randomBytes(32) }).encrypt('card data');
    expectEncryptionError(() => service.decrypt(token), 'unknown_key');
    expect(service.needsRotation(token)).toBe(true);
    expectEncryptionError(() => service.rotate(token), 'unknown_key');
  });

  it('rejects a token encrypted under the same key id with a different key', () => {
    const token = serviceWith('k2', { k2: randomBytes(32) }).encrypt('card data');
    expectEncryptionError(() => service.decrypt(token), 'not_authentic');
  });

  it('does not change when the caller later modifies its key buffers', () => {
    const key = Buffer.from(k2);
    const own = serviceWith('k2', { k2: key });
    const token = own.encrypt('card data');
    key.fill(0);
    expect(own.decrypt(token)).toBe('card data');
  });

  it('refuses options whose current key is missing, or whose keys are the wrong size or id', () => {
    expectEncryptionError(() => serviceWith('k9'), 'invalid_keys');
    expectEncryptionError(() => serviceWith('k1', { k1: randomBytes(16) }), 'invalid_keys');
    expectEncryptionError(() => serviceWith('k.1', { 'k.1': randomBytes(32) }), 'invalid_keys');
    expectEncryptionError(() => serviceWith('k1', {}), 'invalid_keys');
  });
});

describe('parseEncryptionKeys', () => {
  const b64 = (key: Buffer) => key.toString('base64');

  it('parses id:base64 pairs, keeping each key', () => {
    const keys = parseEncryptionKeys(`k2:${b64(k2)}, k1:${b64(k1)}`);
    expect(Object.keys(keys)).toEqual(['k2', 'k1']);
    expect(keys.k2!.equals(k2)).toBe(true);
    expect(keys.k1!.equals(k1)).toBe(true);
  });

  it('accepts keys written without base64 padding', () => {
    const key = randomBytes(32);
    const keys = parseEncryptionKeys(`k1:${b64(key).replace(/=+$/, '')}`);
    expect(keys.k1!.equals(key)).toBe(true);
  });

  it.each([
    ['an empty value', '', /empty/],
    ['an entry without an id', `:${b64(k1)}`, /entry 1 must look like id:base64key/],
    ['an entry without a colon', 'k1', /entry 1 must look like id:base64key/],
    ['a duplicate id', `k1:${b64(k1)},k1:${b64(k2)}`, /"k1" twice/],
    ['a short key', `k1:${b64(randomBytes(16))}`, /"k1" must be 32 bytes, got 16/],
    ['a long key', `k1:${b64(randomBytes(48))}`, /"k1" must be 32 bytes, got 48/],
    ['invalid base64', 'k1:not*base64!', /"k1" is not valid base64/],
    ['an id with a dot', `k.1:${b64(k1)}`, /key id "k.1" must be/],
  ])('rejects %s with a clear message', (_case, env, message) => {
    expect(() => parseEncryptionKeys(env)).toThrow(message);
    expectEncryptionError(() => parseEncryptionKeys(env), 'invalid_keys');
  });

  it('never puts key material in its messages', () => {
    const short = b64(randomBytes(16));
    expect(() => parseEncryptionKeys(`k1:${short}`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(short) }),
    );
  });
});

describe('toEncryptionOptions', () => {
  it('builds service options from the env strings', () => {
    const options = toEncryptionOptions({
      keys: `k2:${k2.toString('base64')},k1:${k1.toString('base64')}`,
      currentKeyId: 'k2',
    });
    const service = new EncryptionService(options);
    expect(service.decrypt(service.encrypt('ok'))).toBe('ok');
  });

  it('rejects a current key id that is not among the keys', () => {
    expect(() =>
      toEncryptionOptions({ keys: `k1:${k1.toString('base64')}`, currentKeyId: 'k2' }),
    ).toThrow('ENCRYPTION_CURRENT_KEY_ID "k2" is not in ENCRYPTION_KEYS (k1)');
  });

  it('accepts the demo key the config falls back to', () => {
    const options = toEncryptionOptions({
      keys: 'demo1:ZGVtby1rZXktZG8tbm90LXVzZS1pbi1wcm9kLTAwMDE=',
      currentKeyId: 'demo1',
    });
    expect(options.keys.demo1).toHaveLength(32);
  });
});
