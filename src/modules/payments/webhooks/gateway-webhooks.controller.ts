import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../common/auth/public.decorator';
import { GatewayWebhooksService } from './gateway-webhooks.service';

/**
 * Where gateways call us: `POST /webhooks/:gateway`. Public (the gateway's signature, checksum or
 * callback token is the authentication) and not rate-limited per caller: gateways burst.
 */
@Controller('webhooks')
@Public()
@SkipThrottle()
export class GatewayWebhooksController {
  constructor(private readonly webhooks: GatewayWebhooksService) {}

  @Post(':gateway')
  @HttpCode(200)
  async receive(
    @Param('gateway') gateway: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ack = await this.webhooks.receive(gateway, {
      headers: request.headers,
      rawBody: request.rawBody ?? Buffer.alloc(0),
      query: request.query as Record<string, string | undefined>,
    });
    await reply.status(ack.status).header('content-type', ack.contentType).send(ack.body);
  }
}
