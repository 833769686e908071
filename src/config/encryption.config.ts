import { registerAs } from '@nestjs/config';
import { secret } from './profile';

export interface EncryptionConfig {
  /** `id:base64key,id:base64key` (32-byte keys); the current one encrypts, all decrypt. */
  readonly keys: string;
  readonly currentKeyId: string;
}

export const encryptionConfig = registerAs('encryption', (): EncryptionConfig => ({
  keys: secret(
    process.env,
    'ENCRYPTION_KEYS',
    'demo1:ZGVtby1rZXktZG8tbm90LXVzZS1pbi1wcm9kLTAwMDE=',
  )!,
  currentKeyId: process.env.ENCRYPTION_CURRENT_KEY_ID ?? 'demo1',
}));
