import type { AuthUser } from './auth-user';

/**
 * The GraphQL context of an operation over graphql-ws (subscriptions): there is no HTTP request.
 * The connection's token is checked again as each operation starts; the global guard throws
 * `authError` when it no longer authenticates. Only the graphql-ws context factory builds these,
 * so a client can never make an HTTP context look like one.
 */
export class SocketContext {
  constructor(
    /** Names this operation in logs and errors, as the request id does over HTTP. */
    readonly requestId: string,
    readonly user: AuthUser | undefined,
    readonly authError: unknown,
    /** The client's address as the socket sees it (the throttler's last resort). */
    readonly ip: string | undefined,
  ) {}
}
