import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unwrapResolverError } from '@apollo/server/errors';
import type { graphqlConfig } from '../../config/graphql.config';
import type { ApiKeysService } from '../../modules/users/api-keys.service';
import { presentError } from '../errors/error-presenter';
import type { MetricsService } from '../observability/metrics.service';
import { buildGraphqlWsOptions } from './graphql-ws.options';
import { checkQueryLimits } from './query-limits';

export interface GraphqlContext {
  req: FastifyRequest;
  reply: FastifyReply;
}

const logger = new Logger('GraphQL');

// Errors graphql-js or Apollo raise before execution: the client sent something malformed.
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/**
 * Errors graphql-js or Apollo raise themselves (parse, validation, variable coercion, our query
 * limits) already carry a code; resolver exceptions arrive as INTERNAL_SERVER_ERROR with the
 * thrown error as originalError. (graphql-js may be loaded twice, ESM and CJS, so `instanceof`
 * cannot tell them apart.)
 */
function isGraphqlLevelError(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
}

/** A GraphQLError with no underlying exception: graphql-js refused the request (e.g. variable coercion). */
function isRaisedByGraphql(error: unknown): boolean {
  let candidate = error as { name?: string; originalError?: unknown } | undefined;
  while (candidate?.name === 'GraphQLError') {
    if (!candidate.originalError) return true;
    candidate = candidate.originalError as typeof candidate;
  }
  return false;
}

/** One error shape for every GraphQL error; internal details never leave the server. */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  const apolloCode = formatted.extensions?.code;
  if (isGraphqlLevelError(formatted) && typeof apolloCode === 'string') {
    const reason =
      formatted.extensions?.reason ?? (apolloCode === 'BAD_USER_INPUT' ? undefined : apolloCode);
    if (CLIENT_ERROR_CODES.has(apolloCode)) {
      return { ...base, extensions: { code: 'BAD_USER_INPUT', reason } };
    }
    if (apolloCode !== 'INTERNAL_SERVER_ERROR') {
      return {
        ...base,
        extensions: { code: apolloCode, reason, details: formatted.extensions?.details },
      };
    }
  }
  if (isRaisedByGraphql(original)) return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  const presented = presentError(original);
  return {
    message: presented.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: presented.code, reason: presented.reason, details: presented.details },
  };
}

function requestIdOf(context: GraphQLRequestContext<GraphqlContext>): string | undefined {
  return context.contextValue?.req?.id;
}

/** Limits, request ids on errors, logging of unexpected errors, and metrics per operation. */
function railsPlugin(
  config: ConfigType<typeof graphqlConfig>,
  metrics: MetricsService,
): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation(context) {
          if (!context.operation) return;
          const violation = checkQueryLimits(
            context.schema,
            context.document,
            context.operation,
            (context.request.variables ?? {}) as Record<string, unknown>,
            config,
          );
          if (violation) {
            throw new GraphQLError(violation.message, {
              extensions: {
                code: 'BAD_USER_INPUT',
                reason: violation.reason,
                http: { status: 400 },
              },
            });
          }
        },
        async didEncounterErrors(context) {
          for (const error of context.errors) {
            const original = unwrapResolverError(error);
            const graphqlLevel =
              typeof error.extensions?.code === 'string' &&
              error.extensions.code !== 'INTERNAL_SERVER_ERROR';
            if (!graphqlLevel && !isRaisedByGraphql(original) && presentError(original).internal) {
              logger.error(
                {
                  err: original,
                  requestId: requestIdOf(context),
                  operation: context.operationName,
                },
                'Unhandled error in GraphQL operation',
              );
            }
          }
        },
        async willSendResponse(context) {
          const operation = context.operationName ?? context.operation?.operation ?? 'unknown';
          const body = context.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          const requestId = requestIdOf(context);
          if (body.kind === 'single' && errors && requestId) {
            body.singleResult.errors = errors.map((error) => ({
              ...error,
              extensions: { ...error.extensions, requestId },
            }));
          }
          metrics.observeGraphqlOperation(
            operation,
            (performance.now() - started) / 1000,
            errors?.map((error) => String(error.extensions?.code ?? 'UNKNOWN')) ?? [],
          );
        },
      };
    },
  };
}

export function buildGraphqlOptions(
  config: ConfigType<typeof graphqlConfig>,
  metrics: MetricsService,
  apiKeys: ApiKeysService,
): ApolloDriverConfig {
  return {
    autoSchemaFile: join(process.cwd(), 'schema.gql'),
    sortSchema: true,
    path: '/graphql',
    introspection: config.introspection,
    graphiql: false,
    playground: false,
    autoTransformHttpErrors: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    formatError: formatGraphqlError,
    context: (req: FastifyRequest, reply: FastifyReply): GraphqlContext => ({ req, reply }),
    plugins: [railsPlugin(config, metrics)],
    // Subscriptions over graphql-ws, upgraded on the same /graphql path of the HTTP server.
    subscriptions: { 'graphql-ws': buildGraphqlWsOptions(config, apiKeys, formatGraphqlError) },
  } as ApolloDriverConfig;
}
