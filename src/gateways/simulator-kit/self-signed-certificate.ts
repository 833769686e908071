import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

// Node can read X.509 but not write it, so simulators that must publish a certificate (Safaricom's
// initiator certificate, PayPal's webhook signing cert) assemble a minimal v3 certificate in DER.

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};

const sequence = (...content: Buffer[]): Buffer => der(0x30, ...content);
const set = (...content: Buffer[]): Buffer => der(0x31, ...content);
const NULL = Buffer.from([0x05, 0x00]);
// 1.2.840.113549.1.1.11 sha256WithRSAEncryption
const SHA256_WITH_RSA = Buffer.from([
  0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
]);
// 2.5.4.3 commonName, 2.5.4.10 organizationName
const COMMON_NAME = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
const ORGANIZATION = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x0a]);

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.000Z -> 260102030405Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

/** A non-negative DER INTEGER: minimal, with a zero byte added back only when the sign bit is set. */
function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const trimmed = value.subarray(start);
  return der(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

const utf8String = (value: string): Buffer => der(0x0c, Buffer.from(value, 'utf8'));

function name(commonName: string, organization?: string): Buffer {
  const rdns = organization ? [set(sequence(ORGANIZATION, utf8String(organization)))] : [];
  return sequence(...rdns, set(sequence(COMMON_NAME, utf8String(commonName))));
}

export interface SelfSignedCertificateOptions {
  /** Adds O=<organization> before the CN. */
  readonly organization?: string;
  /** RSA modulus size of a generated key (default 2048). */
  readonly bits?: number;
  readonly validDays?: number;
  /** Certify this RSA key (PEM or KeyObject) instead of generating a fresh one. */
  readonly privateKey?: string | KeyObject;
}

export interface SelfSignedCertificate {
  readonly privateKey: KeyObject;
  /** PKCS#8 PEM of the private key. */
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly certificate: X509Certificate;
}

/** A self-signed SHA256withRSA certificate for a fresh (or the given) RSA key. */
export function createSelfSignedCertificate(
  commonName: string,
  options: SelfSignedCertificateOptions = {},
): SelfSignedCertificate {
  const given = options.privateKey;
  const privateKey = given
    ? typeof given === 'string'
      ? createPrivateKey(given)
      : given
    : generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 }).privateKey;
  const publicKey = createPublicKey(privateKey);
  const now = Date.now();
  const subject = name(commonName, options.organization);
  const algorithm = sequence(SHA256_WITH_RSA, NULL);
  const validDays = options.validDays ?? 365;
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([0x02]))), // [0] version v3
    integer(randomBytes(12)),
    algorithm,
    subject,
    sequence(utcTime(new Date(now - 60_000)), utcTime(new Date(now + validDays * 86_400_000))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificateDer = sequence(tbs, algorithm, der(0x03, Buffer.from([0x00]), signature));
  const base64 = certificateDer
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
  const certificate = new X509Certificate(certificatePem);
  if (!certificate.verify(publicKey)) throw new Error('self-signed certificate does not verify');
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem,
    certificate,
  };
}
