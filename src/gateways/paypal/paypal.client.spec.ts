import { TEST_CREDENTIALS, testConfig, testInitiateRequest } from './__fixtures__/paypal.harness';
import { GatewayError } from '../gateway.error';
import { PaypalClient, PaypalRequestError } from './paypal.client';
import { PaypalGateway } from './paypal.gateway';
import { toOrderRequest } from './paypal.mapper';
import { createPaypalSimulator, type PaypalSimulator } from './simulator/paypal.simulator';

describe('paypal client', () => {
  let simulatorNow = Date.now();
  let simulator: PaypalSimulator;

  beforeAll(async () => {
    simulator = createPaypalSimulator({ ...TEST_CREDENTIALS, clock: () => simulatorNow });
    await simulator.listen(0);
  });
  afterAll(() => simulator.close());
  beforeEach(() => {
    simulatorNow = Date.now();
    simulator.reset();
  });

  it('reports wrong credentials as misconfigured with a clear message', async () => {
    const gateway = new PaypalGateway(testConfig(simulator.url, { clientSecret: 'wrong-secret' }));
    const error = await gateway.initiate(testInitiateRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      kind: 'misconfigured',
      gatewayErrorCode: 'invalid_client',
      httpStatus: 401,
      retryable: false,
    });
    expect((error as Error).message).toMatch(/PAYPAL_CLIENT_ID/);
    expect((error as Error).message).not.toContain('wrong-secret');
  });

  it('caches the OAuth token and refreshes it shortly before it expires', async () => {
    let now = 1_000_000;
    const client = new PaypalClient(
      testConfig(simulator.url, { tokenRefreshMarginSeconds: 300 }),
      () => now,
    );
    const issued = () => simulator.records.tokensIssued;
    const before = issued();
    const first = await client.accessToken();
    await client.createOrder(toOrderRequest(testInitiateRequest()), {});
    expect(await client.accessToken()).toBe(first);
    expect(issued()).toBe(before + 1);
    now += (32_400 - 300 - 1) * 1000; // just inside the margin-adjusted lifetime
    expect(await client.accessToken()).toBe(first);
    now += 2_000; // now inside the refresh margin
    const second = await client.accessToken();
    expect(second).not.toBe(first);
    expect(issued()).toBe(before + 2);
  });

  it('shares one token request between concurrent calls', async () => {
    const client = new PaypalClient(testConfig(simulator.url));
    const before = simulator.records.tokensIssued;
    const tokens = await Promise.all([
      client.accessToken(),
      client.accessToken(),
      client.accessToken(),
    ]);
    expect(new Set(tokens).size).toBe(1);
    expect(simulator.records.tokensIssued).toBe(before + 1);
  });

  it('fetches a fresh token once when PayPal rejects a cached one', async () => {
    const client = new PaypalClient(testConfig(simulator.url));
    const order = await client.createOrder(toOrderRequest(testInitiateRequest()), {});
    const before = simulator.records.tokensIssued;
    simulatorNow += 40_000 * 1000; // PayPal expired the token early (our clock says it is fine)
    await expect(client.getOrder(order.id)).resolves.toMatchObject({ id: order.id });
    expect(simulator.records.tokensIssued).toBe(before + 1);
  });

  it('honours PayPal-Mock-Response and classifies the forced issue', async () => {
    const client = new PaypalClient(testConfig(simulator.url));
    const order = await client.createOrder(toOrderRequest(testInitiateRequest()), {});
    const error = await client
      .captureOrder(order.id, { mockResponse: '{"mock_application_codes":"INSTRUMENT_DECLINED"}' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaypalRequestError);
    expect((error as PaypalRequestError).classified).toMatchObject({
      code: 'INSTRUMENT_DECLINED',
      meaning: { outcome: 'decline', retryable: true },
    });
    const refused = await client
      .createOrder(toOrderRequest(testInitiateRequest()), {
        mockResponse: '{"mock_application_codes":"PERMISSION_DENIED"}',
      })
      .catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ kind: 'misconfigured', httpStatus: 403 });
    const down = await client
      .getOrder(order.id)
      .then(() =>
        client.createOrder(toOrderRequest(testInitiateRequest()), {
          mockResponse: '{"mock_application_codes":"INTERNAL_SERVER_ERROR"}',
        }),
      )
      .catch((caught: unknown) => caught);
    expect(down).toMatchObject({ kind: 'unavailable', httpStatus: 500, retryable: true });
  });
});
