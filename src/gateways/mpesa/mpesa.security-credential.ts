import {
  constants,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  type KeyObject,
} from 'node:crypto';
import { GatewayError } from '../gateway.error';

/**
 * SecurityCredential = base64(RSA-PKCS#1 v1.5(certificate public key, raw initiator password)).
 * The output is randomised by the padding, so it is computed per request and never cached or logged.
 */
export function encryptSecurityCredential(
  certificatePem: string,
  initiatorPassword: string,
): string {
  let key: KeyObject;
  try {
    // createPublicKey accepts an X.509 certificate PEM as well as a bare public key.
    key = createPublicKey(certificatePem);
  } catch (error) {
    throw new GatewayError(
      'misconfigured',
      'M-Pesa certificate is not a valid PEM certificate or public key',
      {
        gatewayCode: 'mpesa',
        cause: error,
      },
    );
  }
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(initiatorPassword, 'utf8'),
  ).toString('base64');
}

/**
 * The simulator's side: recovers the initiator password. A wrong key may yield random bytes
 * (Node's implicit rejection) rather than an error, so callers compare the result.
 */
export function decryptSecurityCredential(
  privateKeyPem: string,
  credential: string,
): string | undefined {
  try {
    return privateDecrypt(
      { key: privateKeyPem, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from(credential, 'base64'),
    ).toString('utf8');
  } catch {
    return undefined;
  }
}
