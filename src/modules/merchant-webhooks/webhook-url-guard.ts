import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { MerchantWebhookError, MerchantWebhookErrorCode } from './merchant-webhooks.errors';

export const MAX_ENDPOINT_URL_LENGTH = 2_048;

// Addresses a merchant URL must never reach when private URLs are not allowed (SSRF): this
// host, the private networks around it, link-local (cloud metadata at 169.254.169.254),
// carrier-grade NAT, multicast and reserved ranges. IPv4-mapped IPv6 is matched by the v4 rules.
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** True for loopback, private, link-local and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const bare = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/** Checks the form of an endpoint URL: absolute http(s), a host, no credentials. */
export function parseEndpointUrl(raw: string): URL {
  const invalid = (why: string) =>
    new MerchantWebhookError(MerchantWebhookErrorCode.WEBHOOK_URL_INVALID, why);
  if (raw.length > MAX_ENDPOINT_URL_LENGTH)
    throw invalid(`The URL is longer than ${MAX_ENDPOINT_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid('The URL is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid('Webhook endpoints must be http:// or https:// URLs');
  if (!url.hostname) throw invalid('The URL has no host');
  if (url.username || url.password)
    throw invalid('The URL must not carry credentials; authenticate with the signature instead');
  url.hash = '';
  return url;
}

export type AddressResolver = (hostname: string) => Promise<string[]>;

/** Every address the host resolves to, as the HTTP client would see them. */
export const resolveAllAddresses: AddressResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) reject(error);
      else resolve(addresses.map((entry) => entry.address));
    });
  });

/**
 * Refuses a URL whose host is, or resolves to, a non-public address unless private URLs are
 * allowed. Checked when an endpoint is saved; the sender checks again at connect time.
 */
export async function assertEndpointUrlAllowed(
  raw: string,
  options: { allowPrivate: boolean; resolve?: AddressResolver },
): Promise<URL> {
  const url = parseEndpointUrl(raw);
  if (options.allowPrivate) return url;
  const host = bare(url.hostname);
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? resolveAllAddresses)(host);
    } catch {
      throw new MerchantWebhookError(
        MerchantWebhookErrorCode.WEBHOOK_URL_INVALID,
        `The host ${host} does not resolve`,
      );
    }
  }
  if (addresses.length === 0 || addresses.some(isNonPublicAddress)) {
    throw new MerchantWebhookError(
      MerchantWebhookErrorCode.WEBHOOK_URL_NOT_ALLOWED,
      `The host ${host} is, or resolves to, a loopback, private or link-local address`,
    );
  }
  return url;
}

/** Raised at connect time when a host now resolves to a forbidden address (DNS rebinding). */
export class ForbiddenAddressError extends Error {
  readonly code = 'EWEBHOOKFORBIDDENADDRESS';
  constructor(host: string) {
    super(`The host ${host} resolves to a loopback, private or link-local address`);
    this.name = 'ForbiddenAddressError';
  }
}

/**
 * A `lookup` for node's HTTP client that refuses non-public addresses, so the address checked
 * is the address connected to (no gap for DNS rebinding between check and connect).
 */
export function guardedLookup(resolve: AddressResolver = resolveAllAddresses): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = all.filter((address) => family === 0 || isIP(address) === family);
        if (usable.length === 0 || all.some(isNonPublicAddress)) {
          callback(new ForbiddenAddressError(hostname), '', 0);
          return;
        }
        const entries = usable.map((address) => ({ address, family: isIP(address) }));
        if (options.all) callback(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
