import { GatewayError } from '../gateway.error';
import { MpesaClient } from './mpesa.client';
import { stkPassword } from './mpesa.mapper';
import { mpesaConfigFor } from './mpesa.test-helpers';
import { createMpesaSimulator, type MpesaSimulator } from './simulator/mpesa.simulator';

describe('MpesaClient', () => {
  let simulator: MpesaSimulator;

  beforeAll(async () => {
    simulator = createMpesaSimulator({ customerDelayMs: 60_000, tokenTtlSeconds: 3599 });
    await simulator.listen(0);
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const query = (client: MpesaClient) =>
    client.stkQuery({
      BusinessShortCode: '174379',
      Password: stkPassword('174379', simulator.options.passkey, '20240115101530'),
      Timestamp: '20240115101530',
      CheckoutRequestID: 'ws_CO_unknown',
    });

  it('reports wrong consumer credentials as misconfigured with a clear message', async () => {
    const client = new MpesaClient(mpesaConfigFor(simulator, { consumerSecret: 'wrong' }));
    const error = await client.accessToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'misconfigured', httpStatus: 400 });
    expect((error as Error).message).toContain('consumer key/secret');
    expect((error as Error).message).not.toContain('wrong');
  });

  it('caches the token and shares one request between concurrent callers', async () => {
    const client = new MpesaClient(mpesaConfigFor(simulator));
    const tokens = await Promise.all([
      client.accessToken(),
      client.accessToken(),
      client.accessToken(),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(await client.accessToken()).toBe(tokens[0]);
    expect(simulator.state().tokensIssued).toBe(1);
  });

  it('refreshes the token before it expires', async () => {
    let now = 1_000_000;
    const client = new MpesaClient(
      mpesaConfigFor(simulator, { tokenRefreshMarginMs: 300_000 }),
      () => now,
    );
    const first = await client.accessToken();
    now += 3_599_000 - 300_001; // just before the refresh point
    expect(await client.accessToken()).toBe(first);
    now += 2; // inside the margin: refreshed although still valid
    const second = await client.accessToken();
    expect(second).not.toBe(first);
    expect(simulator.state().tokensIssued).toBe(2);
  });

  it('refreshes once and repeats the call when the token is refused (404.001.03)', async () => {
    const client = new MpesaClient(mpesaConfigFor(simulator));
    await client.accessToken();
    simulator.revokeTokens();
    // The repeated call reaches the API: an unknown CheckoutRequestID is a 400.002.02.
    await expect(query(client)).rejects.toMatchObject({
      kind: 'rejected',
      gatewayErrorCode: '400.002.02',
    });
    expect(simulator.state().tokensIssued).toBe(2);
  });

  it('surfaces a wrong passkey as misconfigured (500.001.1001 wrong credentials)', async () => {
    const client = new MpesaClient(mpesaConfigFor(simulator));
    const error = await client
      .stkQuery({
        BusinessShortCode: '174379',
        Password: 'bad',
        Timestamp: '20240115101530',
        CheckoutRequestID: 'x',
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'misconfigured', gatewayErrorCode: '500.001.1001' });
  });
});
