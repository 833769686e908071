import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  getOperationAST,
  GraphQLError,
  subscribe,
  type ExecutionArgs,
  type GraphQLFormattedError,
} from 'graphql';
import { CloseCode, type Context, type ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { randomUUID } from 'node:crypto';
import type { ApiKeysService } from '../../modules/users/api-keys.service';
import { authenticateBearer } from '../auth/bearer-authenticator';
import { SocketContext } from '../auth/socket-context';
import type { graphqlConfig } from '../../config/graphql.config';
import { DomainError, INTERNAL_ERROR_CODE } from '../errors/domain-error';
import { checkQueryLimits } from './query-limits';

/** What a client sends in `connection_init`: `{ authorization: 'Bearer <token or API key>' }`. */
export interface SocketConnectionParams extends Record<string, unknown> {
  readonly authorization?: unknown;
}

type SocketServerOptions = ServerOptions<SocketConnectionParams, Extra>;
type SocketConnection = Context<SocketConnectionParams, Extra>;

/** graphql-ws options as the Nest Apollo driver passes them through to `useServer`. */
export type GraphqlWsOptions = Partial<SocketServerOptions> & { path?: string };

// WebSocket's own "internal error": graphql-ws clients retry it, as they should for an outage.
const CLOSE_TRY_AGAIN = 1011;

const logger = new Logger('GraphQLWebSocket');

function refuse(connection: SocketConnection, code: number, reason: string): false {
  connection.extra.socket.close(code, reason);
  // graphql-ws closes with 4403 on `false`; ours went first, so the client sees our code.
  return false;
}

const isCredentialError = (error: unknown): boolean =>
  error instanceof DomainError && (error.kind === 'unauthenticated' || error.kind === 'forbidden');

function socketError(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason } });
}

/** Apollo's `formatError` signature: the HTTP endpoint's formatter is passed in and reused. */
export type GraphqlErrorFormatter = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

/** One error shape for sockets and HTTP alike (graphql-ws does not run Apollo's formatter). */
function formatSocketError(
  format: GraphqlErrorFormatter,
  error: GraphQLError,
  requestId?: string,
): GraphQLFormattedError {
  // Resolver errors and a failed event stream both carry the thrown error as originalError.
  const original = error.originalError ?? error;
  const formatted = format(error.toJSON(), original);
  if (formatted.extensions?.code === INTERNAL_ERROR_CODE) {
    logger.error({ err: original, requestId }, 'Unhandled error in GraphQL subscription');
  }
  return requestId
    ? { ...formatted, extensions: { ...formatted.extensions, requestId } }
    : formatted;
}

const requestIdOf = (args: ExecutionArgs): string | undefined =>
  args.contextValue instanceof SocketContext ? args.contextValue.requestId : undefined;

/**
 * GraphQL over WebSocket (graphql-transport-ws) on the HTTP server's /graphql path, for
 * subscriptions only. The client authenticates in `connection_init` with
 * `{ authorization: 'Bearer <token>' }`: without one the socket closes with 4401, with a bad or
 * expired one 4403, and 1011 when the check itself failed (database down). Every operation checks
 * the token again, so a suspended user or revoked key cannot start new subscriptions.
 */
export function buildGraphqlWsOptions(
  config: ConfigType<typeof graphqlConfig>,
  apiKeys: ApiKeysService,
  formatError: GraphqlErrorFormatter,
): GraphqlWsOptions {
  return {
    onConnect: async (connection) => {
      const authorization = connection.connectionParams?.authorization;
      if (authorization === undefined || authorization === null || authorization === '') {
        return refuse(connection, CloseCode.Unauthorized, 'Unauthorized');
      }
      try {
        await authenticateBearer(authorization, apiKeys);
        return true;
      } catch (error) {
        if (isCredentialError(error)) return refuse(connection, CloseCode.Forbidden, 'Forbidden');
        logger.warn({ err: error }, 'Could not check the credentials of a WebSocket connection');
        return refuse(connection, CLOSE_TRY_AGAIN, 'Authentication unavailable; try again');
      }
    },
    context: async (connection) => {
      const ip = connection.extra.request.socket.remoteAddress;
      try {
        const user = await authenticateBearer(connection.connectionParams?.authorization, apiKeys);
        return new SocketContext(randomUUID(), user, undefined, ip);
      } catch (error) {
        // The global guard throws it, so the client gets an error for this operation only.
        return new SocketContext(randomUUID(), undefined, error, ip);
      }
    },
    // Queries and mutations go over HTTP, where limits, idempotency keys and metrics apply.
    execute: () => ({
      errors: [
        socketError(
          'Only subscriptions are served over WebSocket; send queries and mutations over HTTP',
          'SUBSCRIPTIONS_ONLY',
        ),
      ],
    }),
    subscribe: async (args: ExecutionArgs) => {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation) {
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const violation = checkQueryLimits(
          args.schema,
          args.document,
          operation,
          variables,
          config,
        );
        if (violation) return { errors: [socketError(violation.message, violation.reason)] };
      }
      return subscribe(args);
    },
    onNext: (_connection, _id, _payload, args, result) => {
      if (!result.errors?.length) return undefined;
      const requestId = requestIdOf(args);
      const errors = result.errors.map((error) => formatSocketError(formatError, error, requestId));
      return { ...result, errors };
    },
    onError: (_connection, _id, _payload, errors) =>
      errors.map((error) => formatSocketError(formatError, error)),
  };
}
