export interface GraphqlError {
  message: string;
  extensions?: {
    code?: string;
    reason?: string;
    details?: Record<string, unknown>;
    requestId?: string;
  };
  path?: string[];
}

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: GraphqlError[];
}

/** A thin GraphQL-over-HTTP client for e2e specs: real HTTP, real headers. */
export class GraphqlClient {
  constructor(private readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<GraphqlResponse<T>> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: GraphqlError[] };
    return {
      status: response.status,
      headers: response.headers,
      data: body.data,
      errors: body.errors,
    };
  }

  /** Runs an operation that must succeed and returns its data. */
  async ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<T> {
    const result = await this.request<T>(query, variables, token);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /** Runs an operation that must fail and returns its first error's code. */
  async errorCode(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<string | undefined> {
    const result = await this.request(query, variables, token);
    return result.errors?.[0]?.extensions?.code;
  }
}
