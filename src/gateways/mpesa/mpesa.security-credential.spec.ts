import { X509Certificate } from 'node:crypto';
import { GatewayError } from '../gateway.error';
import { decryptSecurityCredential, encryptSecurityCredential } from './mpesa.security-credential';
import { createSelfSignedCertificate } from '../simulator-kit/self-signed-certificate';

describe('mpesa SecurityCredential', () => {
  const keys = createSelfSignedCertificate('Test Daraja', { bits: 1024 });

  it('builds a certificate Node can parse and verify', () => {
    const certificate = new X509Certificate(keys.certificatePem);
    expect(certificate.subject).toContain('Test Daraja');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
  });

  it('round-trips the initiator password through RSA PKCS#1 v1.5', () => {
    const credential = encryptSecurityCredential(keys.certificatePem, 'Safaricom999!*!');
    expect(credential).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decryptSecurityCredential(keys.privateKeyPem, credential)).toBe('Safaricom999!*!');
  });

  it('is randomised by the padding, so no two credentials are equal', () => {
    expect(encryptSecurityCredential(keys.certificatePem, 'pw')).not.toBe(
      encryptSecurityCredential(keys.certificatePem, 'pw'),
    );
  });

  it('does not recover the password with another key', () => {
    // Node's implicit rejection returns random bytes rather than throwing: compare, never trust.
    const other = createSelfSignedCertificate('Other', { bits: 1024 });
    expect(
      decryptSecurityCredential(
        other.privateKeyPem,
        encryptSecurityCredential(keys.certificatePem, 'pw'),
      ),
    ).not.toBe('pw');
    expect(decryptSecurityCredential(keys.privateKeyPem, 'not base64 of anything')).not.toBe('pw');
  });

  it('reports a broken certificate as misconfigured', () => {
    expect(() => encryptSecurityCredential('not a pem', 'pw')).toThrow(GatewayError);
    try {
      encryptSecurityCredential('not a pem', 'pw');
    } catch (error) {
      expect((error as GatewayError).kind).toBe('misconfigured');
    }
  });
});
