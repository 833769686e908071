import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentError } from './error-presenter';

/** REST errors: one JSON shape `{ error: { code, reason, message, requestId } }`, never a stack. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL errors are formatted by the GraphQL layer; only HTTP contexts reach here.
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const presented = presentError(exception);
    if (presented.internal) {
      this.logger.error(
        { err: exception, requestId: request.id },
        'Unhandled error in REST request',
      );
    }
    const retryAfter = presented.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(presented.httpStatus).send({
      error: {
        code: presented.code,
        reason: presented.reason,
        message: presented.message,
        details: presented.details,
        requestId: request.id,
      },
    });
  }
}
