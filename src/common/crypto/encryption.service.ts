import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

/** Injection token for the {@link EncryptionOptions} the service encrypts with. */
export const ENCRYPTION_OPTIONS = Symbol('ENCRYPTION_OPTIONS');

export interface EncryptionOptions {
  /** Key that encrypts new values; every key in `keys` can still decrypt. */
  currentKeyId: string;
  /** Key id -> 32-byte AES-256 key. */
  keys: Record<string, Buffer>;
}

export type EncryptionErrorReason = 'invalid_keys' | 'malformed' | 'unknown_key' | 'not_authentic';

/** Encryption failed or a stored value cannot be trusted; never carries key material. */
export class EncryptionError extends Error {
  constructor(
    readonly reason: EncryptionErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'EncryptionError';
  }
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Key ids sit between dots in the token, so they may not contain one.
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface ParsedToken {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * AES-256-GCM for sensitive values at rest. A token reads
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), so keys can rotate: new values use the
 * current key, old ones decrypt with the key they name. Optional associated data (a row id)
 * binds a value to its row, so it cannot be copied to another one.
 */
@Injectable()
export class EncryptionService {
  private readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(@Inject(ENCRYPTION_OPTIONS) options: EncryptionOptions) {
    const entries = Object.entries(options.keys);
    if (entries.length === 0) throw new EncryptionError('invalid_keys', 'No encryption keys given');
    for (const [keyId, key] of entries) assertKey(keyId, key);
    if (!Object.hasOwn(options.keys, options.currentKeyId)) {
      throw new EncryptionError(
        'invalid_keys',
        `Current encryption key id "${options.currentKeyId}" is not among the keys (${entries
          .map(([keyId]) => keyId)
          .join(', ')})`,
      );
    }
    this.currentKeyId = options.currentKeyId;
    // Copies, so a caller reusing or zeroing its buffers cannot change ours.
    this.keys = new Map(entries.map(([keyId, key]) => [keyId, Buffer.from(key)]));
  }

  encrypt(plaintext: string, aad?: string): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keyFor(keyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(keyId, aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, keyId, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(token: string, aad?: string): string {
    const { keyId, iv, tag, ciphertext } = parseToken(token);
    const decipher = createDecipheriv(ALGORITHM, this.keyFor(keyId), iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(keyId, aad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new EncryptionError(
        'not_authentic',
        'Encrypted value failed authentication: it was altered, or the associated data differs',
      );
    }
  }

  /** True when the value was encrypted with a key other than the current one. */
  needsRotation(token: string): boolean {
    return parseToken(token).keyId !== this.currentKeyId;
  }

  /** Re-encrypts with the current key; a value already on it is returned unchanged. */
  rotate(token: string, aad?: string): string {
    if (!this.needsRotation(token)) {
      // Still authenticate it, so rotation never passes a forged value along.
      this.decrypt(token, aad);
      return token;
    }
    return this.encrypt(this.decrypt(token, aad), aad);
  }

  private keyFor(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new EncryptionError('unknown_key', `Unknown encryption key id "${keyId}"`);
    return key;
  }
}

/**
 * Parses `ENCRYPTION_KEYS`, e.g. `k2:<base64 32 bytes>,k1:<base64 32 bytes>`.
 * Messages name the key id, never the key.
 */
export function parseEncryptionKeys(env: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  const entries = env
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new EncryptionError('invalid_keys', 'ENCRYPTION_KEYS is empty: expected id:base64key');
  }
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    if (separator <= 0) {
      throw new EncryptionError(
        'invalid_keys',
        `ENCRYPTION_KEYS entry ${index + 1} must look like id:base64key`,
      );
    }
    const keyId = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (Object.hasOwn(keys, keyId)) {
      throw new EncryptionError('invalid_keys', `ENCRYPTION_KEYS has key id "${keyId}" twice`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64.test(encoded) || unpadded(key.toString('base64')) !== unpadded(encoded)) {
      throw new EncryptionError(
        'invalid_keys',
        `ENCRYPTION_KEYS key "${keyId}" is not valid base64`,
      );
    }
    assertKey(keyId, key, 'ENCRYPTION_KEYS ');
    keys[keyId] = key;
  }
  return keys;
}

/** Builds the service options from the env strings (`ENCRYPTION_KEYS`, `ENCRYPTION_CURRENT_KEY_ID`). */
export function toEncryptionOptions(config: {
  keys: string;
  currentKeyId: string;
}): EncryptionOptions {
  const keys = parseEncryptionKeys(config.keys);
  if (!Object.hasOwn(keys, config.currentKeyId)) {
    throw new EncryptionError(
      'invalid_keys',
      `ENCRYPTION_CURRENT_KEY_ID "${config.currentKeyId}" is not in ENCRYPTION_KEYS (${Object.keys(
        keys,
      ).join(', ')})`,
    );
  }
  return { currentKeyId: config.currentKeyId, keys };
}

function assertKey(keyId: string, key: Buffer, prefix = ''): void {
  if (!KEY_ID.test(keyId)) {
    throw new EncryptionError(
      'invalid_keys',
      `${prefix}key id "${keyId}" must be 1-64 letters, digits, "_" or "-"`,
    );
  }
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new EncryptionError(
      'invalid_keys',
      `${prefix}key "${keyId}" must be ${KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`,
    );
  }
}

// The header is authenticated too, so the version or key id cannot be swapped unnoticed.
const associatedData = (keyId: string, aad: string | undefined): Buffer =>
  Buffer.from(`${VERSION}.${keyId}.${aad ?? ''}`, 'utf8');

const unpadded = (base64: string): string => base64.replace(/=+$/, '');

function parseToken(token: string): ParsedToken {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 5) {
    throw new EncryptionError(
      'malformed',
      'Encrypted value is not a v1.<keyId>.<iv>.<tag>.<data> token',
    );
  }
  const [version, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (version !== VERSION) {
    throw new EncryptionError('malformed', `Unsupported encrypted value version "${version}"`);
  }
  if (!KEY_ID.test(keyId))
    throw new EncryptionError('malformed', 'Encrypted value has a bad key id');
  const parsed = {
    keyId,
    iv: decodePart(iv, 'IV'),
    tag: decodePart(tag, 'tag'),
    ciphertext: decodePart(ciphertext, 'ciphertext'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new EncryptionError('malformed', 'Encrypted value has a bad IV or tag length');
  }
  return parsed;
}

// Only canonical base64url is accepted: otherwise an edited final character could decode to
// the same bytes and an altered token would still pass.
function decodePart(part: string, name: string): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (!BASE64URL.test(part) || bytes.toString('base64url') !== part) {
    throw new EncryptionError('malformed', `Encrypted value has a bad ${name} encoding`);
  }
  return bytes;
}
