import { Controller, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { ValidationFailedError } from '../../common/errors/common.errors';
import type { AuditActor } from '../audit/audit.types';
import {
  type AuthorizationDecision,
  CardAuthorizationsService,
  type SettlementResult,
} from './card-authorizations.service';
import { cardsConfig } from './cards.config';
import { CardError, CardErrorCode } from './cards.errors';
import {
  CardNetworkAuthorizationRequest,
  CardNetworkCaptureRequest,
  CardNetworkPath,
  parseNetworkBody,
} from './dto/card-network.dto';
import { NETWORK_SIGNATURE_HEADER, verifyNetworkSignature } from './network-signature';

type NetworkRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * Where the card network calls us. Public (no user token): the network's HMAC signature over the
 * raw body is the authentication, checked before anything is read, parsed or stored. Not
 * rate-limited per caller: the network is one caller that bursts.
 */
@Controller('card-network')
@Public()
@SkipThrottle()
export class CardNetworkController {
  private readonly logger = new Logger(CardNetworkController.name);

  constructor(
    private readonly authorizations: CardAuthorizationsService,
    @Inject(cardsConfig.KEY) private readonly config: ConfigType<typeof cardsConfig>,
  ) {}

  /** Approve or decline; 200 either way, with `approved` saying which. */
  @Post('authorizations')
  @HttpCode(200)
  async authorize(@Req() request: NetworkRequest): Promise<AuthorizationDecision> {
    this.verify(request);
    const body = parseNetworkBody(CardNetworkAuthorizationRequest, request.body);
    return this.authorizations.authorize(body, networkActor(request));
  }

  /** Capture all or part of an approved authorization. */
  @Post('authorizations/:networkAuthorizationId/capture')
  @HttpCode(200)
  async capture(
    @Req() request: NetworkRequest,
    @Param('networkAuthorizationId') networkAuthorizationId: string,
  ): Promise<SettlementResult> {
    this.verify(request);
    const path = parseNetworkBody(CardNetworkPath, { networkAuthorizationId });
    const body = parseNetworkBody(CardNetworkCaptureRequest, request.body);
    return this.authorizations.capture(
      path.networkAuthorizationId,
      body.amountMinor,
      networkActor(request),
    );
  }

  /** Reverse (void) an approved authorization: its hold is released. The body is empty or `{}`. */
  @Post('authorizations/:networkAuthorizationId/reversal')
  @HttpCode(200)
  async reverse(
    @Req() request: NetworkRequest,
    @Param('networkAuthorizationId') networkAuthorizationId: string,
  ): Promise<SettlementResult> {
    this.verify(request);
    const path = parseNetworkBody(CardNetworkPath, { networkAuthorizationId });
    const body: unknown = request.body;
    if (
      body !== undefined &&
      body !== null &&
      (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0)
    ) {
      throw new ValidationFailedError({ body: ['a reversal takes an empty body or {}'] });
    }
    return this.authorizations.reverse(path.networkAuthorizationId, networkActor(request));
  }

  private verify(request: NetworkRequest): void {
    const header = request.headers[NETWORK_SIGNATURE_HEADER.toLowerCase()];
    const check = verifyNetworkSignature(
      Array.isArray(header) ? header[0] : header,
      request.url,
      rawBodyOf(request),
      this.config.networkSecret,
      this.config.networkToleranceSeconds,
    );
    if (!check.valid) {
      this.logger.warn(`Refused a card network call to ${request.url}: signature ${check.reason}`);
      throw new CardError(
        CardErrorCode.CARD_NETWORK_SIGNATURE_INVALID,
        `The ${NETWORK_SIGNATURE_HEADER} header is ${check.reason === 'missing' ? 'missing' : 'not valid'}`,
        { reason: check.reason },
      );
    }
  }
}

/**
 * The exact bytes that were sent. The app keeps them for JSON (and form) bodies only; a body of
 * another type was parsed without keeping them, so no signature can be checked against it, and
 * checking against "no body" instead would accept a signature made for an empty call.
 */
function rawBodyOf(request: NetworkRequest): Buffer {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  if (request.body === undefined) return Buffer.alloc(0);
  throw new ValidationFailedError({ body: ['must be sent as application/json'] });
}

/** The network, as the audit log records it, with the request it came in. */
const networkActor = (request: FastifyRequest): AuditActor => ({
  type: 'gateway',
  id: 'card_network',
  ip: request.ip || undefined,
  requestId: request.id || undefined,
});
