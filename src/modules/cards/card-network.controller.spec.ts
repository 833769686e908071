import type { ConfigType } from '@nestjs/config';
import { ValidationFailedError } from '../../common/errors/common.errors';
import type { CardAuthorizationsService } from './card-authorizations.service';
import { CardNetworkController } from './card-network.controller';
import type { cardsConfig } from './cards.config';
import { CardError } from './cards.errors';
import { networkSignatureHeader } from './network-signature';

const SECRET = 'network-secret-0123456789abcdef0123456789';
const config = {
  networkSecret: SECRET,
  networkToleranceSeconds: 300,
} as ConfigType<typeof cardsConfig>;

describe('CardNetworkController signature check', () => {
  const service = {
    reverse: jest.fn().mockResolvedValue({ status: 'REVERSED' }),
    capture: jest.fn().mockResolvedValue({ status: 'CAPTURED' }),
  };
  const controller = new CardNetworkController(
    service as unknown as CardAuthorizationsService,
    config,
  );
  const now = () => Math.floor(Date.now() / 1000);
  const reversalOf = (id: string) => `/card-network/authorizations/${id}/reversal`;

  /** A request as Fastify hands it over: `rawBody` is only set for JSON and form bodies. */
  const request = (url: string, header: string, body: unknown, rawBody?: Buffer) =>
    ({
      url,
      headers: { 'payrail-network-signature': header },
      body,
      rawBody,
      ip: '127.0.0.1',
      id: 'req-1',
    }) as never;

  beforeEach(() => jest.clearAllMocks());

  it('accepts an empty reversal signed for its path', async () => {
    const url = reversalOf('auth_1');
    await controller.reverse(
      request(url, networkSignatureHeader(SECRET, now(), '', url), undefined),
      'auth_1',
    );
    expect(service.reverse).toHaveBeenCalledTimes(1);
  });

  it('refuses a body whose raw bytes were not kept, rather than checking "no body"', async () => {
    // A parser that keeps no raw bytes (e.g. another content type) produced a body: a signature
    // made for an empty call must not vouch for it.
    const url = reversalOf('auth_1');
    const header = networkSignatureHeader(SECRET, now(), '', url);
    await expect(controller.reverse(request(url, header, {}), 'auth_1')).rejects.toBeInstanceOf(
      ValidationFailedError,
    );
    await expect(
      controller.capture(request(url, header, { amountMinor: 100 }), 'auth_1'),
    ).rejects.toBeInstanceOf(ValidationFailedError);
    expect(service.reverse).not.toHaveBeenCalled();
    expect(service.capture).not.toHaveBeenCalled();
  });

  it('refuses a signature made for another path', async () => {
    const header = networkSignatureHeader(SECRET, now(), '{}', reversalOf('auth_1'));
    const url = reversalOf('auth_2');
    await expect(
      controller.reverse(request(url, header, {}, Buffer.from('{}')), 'auth_2'),
    ).rejects.toBeInstanceOf(CardError);
    expect(service.reverse).not.toHaveBeenCalled();
  });
});
