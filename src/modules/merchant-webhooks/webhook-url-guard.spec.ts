import type { LookupAddress } from 'node:dns';
import { MerchantWebhookErrorCode } from './merchant-webhooks.errors';
import {
  assertEndpointUrlAllowed,
  guardedLookup,
  isNonPublicAddress,
  parseEndpointUrl,
  type AddressResolver,
} from './webhook-url-guard';

const resolvingTo =
  (...addresses: string[]): AddressResolver =>
  () =>
    Promise.resolve(addresses);

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('webhook URL guard', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-ip',
  ])('treats %s as non-public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111'])(
    'treats %s as public',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it.each([
    'ftp://example.com/hook',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'example.com/hook',
    'https://user:pass@example.com/hook',
    `https://example.com/${'a'.repeat(2100)}`,
  ])('refuses the malformed or non-http URL %s', (url) => {
    expect(() => parseEndpointUrl(url)).toThrow(
      expect.objectContaining({ code: MerchantWebhookErrorCode.WEBHOOK_URL_INVALID }),
    );
  });

  it('accepts http and https URLs and drops the fragment', () => {
    expect(parseEndpointUrl('https://shop.example/hooks?x=1#frag').toString()).toBe(
      'https://shop.example/hooks?x=1',
    );
    expect(parseEndpointUrl('http://127.0.0.1:8080/hooks').host).toBe('127.0.0.1:8080');
  });

  describe('when private URLs are not allowed', () => {
    const strict = (resolve: AddressResolver) => ({ allowPrivate: false, resolve });

    it('refuses literal loopback, private and link-local hosts', async () => {
      for (const url of [
        'http://127.0.0.1/hook',
        'http://[::1]/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://0x7f.1/hook',
        'http://2130706433/hook',
      ]) {
        expect(await codeOf(assertEndpointUrlAllowed(url, strict(resolvingTo())))).toBe(
          MerchantWebhookErrorCode.WEBHOOK_URL_NOT_ALLOWED,
        );
      }
    });

    it('refuses names resolving to a private address, even among public ones', async () => {
      expect(
        await codeOf(
          assertEndpointUrlAllowed(
            'https://internal.example/hook',
            strict(resolvingTo('10.1.2.3')),
          ),
        ),
      ).toBe(MerchantWebhookErrorCode.WEBHOOK_URL_NOT_ALLOWED);
      expect(
        await codeOf(
          assertEndpointUrlAllowed(
            'https://mixed.example/hook',
            strict(resolvingTo('93.184.216.34', '127.0.0.1')),
          ),
        ),
      ).toBe(MerchantWebhookErrorCode.WEBHOOK_URL_NOT_ALLOWED);
    });

    it('refuses names that do not resolve', async () => {
      const failing: AddressResolver = () => Promise.reject(new Error('ENOTFOUND'));
      expect(
        await codeOf(assertEndpointUrlAllowed('https://nowhere.invalid/hook', strict(failing))),
      ).toBe(MerchantWebhookErrorCode.WEBHOOK_URL_INVALID);
    });

    it('accepts names resolving only to public addresses', async () => {
      const url = await assertEndpointUrlAllowed(
        'https://shop.example/hook',
        strict(resolvingTo('93.184.216.34')),
      );
      expect(url.hostname).toBe('shop.example');
    });
  });

  it('allows private hosts when configured to (development and tests)', async () => {
    const url = await assertEndpointUrlAllowed('http://127.0.0.1:9000/hook', {
      allowPrivate: true,
      resolve: () => Promise.reject(new Error('must not resolve')),
    });
    expect(url.port).toBe('9000');
  });

  describe('guardedLookup (checked again at connect time)', () => {
    const lookup = (
      resolve: AddressResolver,
      options: { all?: boolean; family?: number } = {},
    ): Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }> =>
      new Promise((done) =>
        guardedLookup(resolve)('shop.example', options, (error, address, family) =>
          done({ error, address, family }),
        ),
      );

    it('hands public addresses to the socket, in either callback form', async () => {
      expect(await lookup(resolvingTo('93.184.216.34'))).toEqual({
        error: null,
        address: '93.184.216.34',
        family: 4,
      });
      expect(await lookup(resolvingTo('93.184.216.34', '2606:4700::1'), { all: true })).toEqual({
        error: null,
        address: [
          { address: '93.184.216.34', family: 4 },
          { address: '2606:4700::1', family: 6 },
        ],
        family: undefined,
      });
    });

    it('fails the connection when the name now resolves to a private address (rebinding)', async () => {
      const result = await lookup(resolvingTo('93.184.216.34', '192.168.0.10'));
      expect(result.error).toEqual(expect.objectContaining({ code: 'EWEBHOOKFORBIDDENADDRESS' }));
    });
  });
});
