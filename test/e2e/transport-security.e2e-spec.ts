import { writeFileSync, mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate } from '../../src/gateways/simulator-kit/self-signed-certificate';
import { createTestApp, type TestApp } from '../utils/create-test-app';

function httpsGet(
  url: string,
  ca: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, servername: 'localhost' }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS and HSTS (e2e)', () => {
  let t: TestApp;
  let certificatePem: string;

  beforeAll(async () => {
    const certificate = createSelfSignedCertificate('localhost');
    certificatePem = certificate.certificatePem;
    const dir = mkdtempSync(join(tmpdir(), 'payrail-tls-'));
    writeFileSync(join(dir, 'cert.pem'), certificate.certificatePem);
    writeFileSync(join(dir, 'key.pem'), certificate.privateKeyPem);
    t = await createTestApp({
      TLS_CERT_PATH: join(dir, 'cert.pem'),
      TLS_KEY_PATH: join(dir, 'key.pem'),
    });
  });
  afterAll(async () => t.close());

  it('serves HTTPS from the configured certificate, with HSTS', async () => {
    const url = t.url.replace('http://', 'https://').replace('127.0.0.1', 'localhost');
    const response = await httpsGet(`${url}/health`, certificatePem);
    expect(response.status).toBe(200);
    expect(String(response.headers['strict-transport-security'])).toMatch(/max-age=31536000/);
  });
});

describe('CORS allow-list (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://shop.example.test' });
  });
  afterAll(async () => t.close());

  const preflight = (origin: string): Promise<Response> =>
    fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('allows a listed origin and no other', async () => {
    expect(
      (await preflight('https://shop.example.test')).headers.get('access-control-allow-origin'),
    ).toBe('https://shop.example.test');
    expect(
      (await preflight('https://evil.example.test')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});
