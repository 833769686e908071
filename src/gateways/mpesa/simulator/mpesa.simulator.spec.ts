import { stkPassword } from '../mpesa.mapper';
import { createMpesaSimulator, resultCodeForPhone, type MpesaSimulator } from './mpesa.simulator';

describe('M-Pesa simulator', () => {
  let simulator: MpesaSimulator;
  let token: string;

  beforeAll(async () => {
    simulator = createMpesaSimulator({
      consumerKey: 'key',
      consumerSecret: 'secret',
      customerDelayMs: 60_000,
    });
    await simulator.listen(0);
  });
  afterAll(() => simulator.close());

  const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${simulator.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    simulator.reset();
    const response = await fetch(
      `${simulator.url}/oauth/v1/generate?grant_type=client_credentials`,
      {
        headers: { authorization: basic('key:secret') },
      },
    );
    const body = (await response.json()) as { access_token: string; expires_in: unknown };
    expect(body.expires_in).toBe('3599');
    token = body.access_token;
  });

  it('answers OAuth errors as Daraja does', async () => {
    const url = `${simulator.url}/oauth/v1/generate`;
    const wrong = await fetch(`${url}?grant_type=client_credentials`, {
      headers: { authorization: basic('key:nope') },
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toBe('');
    const grant = await fetch(`${url}?grant_type=password`, {
      headers: { authorization: basic('key:secret') },
    });
    expect(await grant.json()).toMatchObject({ errorCode: '400.008.02' });
    const scheme = await fetch(`${url}?grant_type=client_credentials`, {
      headers: { authorization: 'Bearer x' },
    });
    expect(await scheme.json()).toMatchObject({ errorCode: '400.008.01' });
  });

  it('checks the bearer token and the JSON content type on every API', async () => {
    const noToken = await post(
      '/mpesa/stkpushquery/v1/query',
      {},
      { authorization: 'Bearer nope' },
    );
    expect(noToken.status).toBe(404);
    expect(await noToken.json()).toMatchObject({ errorCode: '404.001.03' });
    const form = await post(
      '/mpesa/stkpushquery/v1/query',
      {},
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(await form.json()).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid BusinessShortCode',
    });
  });

  it('validates the STK Password against its own Timestamp', async () => {
    const timestamp = '20240115101530';
    const push = {
      BusinessShortCode: '174379',
      Password: stkPassword('174379', simulator.options.passkey, '20240115101531'),
      Timestamp: timestamp,
      TransactionType: 'CustomerPayBillOnline',
      Amount: 1,
      PartyA: '254708374149',
      PartyB: '174379',
      PhoneNumber: '254708374149',
      CallBackURL: 'https://payrail.example/cb',
      AccountReference: 'Order42',
      TransactionDesc: 'Pay',
    };
    const mismatch = await post('/mpesa/stkpush/v1/processrequest', push);
    expect(mismatch.status).toBe(500);
    expect(await mismatch.json()).toMatchObject({
      errorCode: '500.001.1001',
      errorMessage: '[MerchantValidate] - Wrong credentials',
    });
    const fraction = await post('/mpesa/stkpush/v1/processrequest', {
      ...push,
      Password: stkPassword('174379', simulator.options.passkey, timestamp),
      Amount: 1.5,
    });
    expect(await fraction.json()).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid Amount',
    });
    const ok = await post('/mpesa/stkpush/v1/processrequest', {
      ...push,
      Password: stkPassword('174379', simulator.options.passkey, timestamp),
    });
    const ack = (await ok.json()) as { CheckoutRequestID: string; ResponseCode: string };
    expect(ack).toMatchObject({ ResponseCode: '0' });
    expect(ack.CheckoutRequestID).toMatch(/^ws_CO_/);
    const query = await post('/mpesa/stkpushquery/v1/query', {
      BusinessShortCode: '174379',
      Password: stkPassword('174379', simulator.options.passkey, timestamp),
      Timestamp: timestamp,
      CheckoutRequestID: ack.CheckoutRequestID,
    });
    expect(await query.json()).toMatchObject({
      errorCode: '500.001.1001',
      errorMessage: 'The transaction is being processed',
    });
    const control = await fetch(`${simulator.url}/__sim/stk/${ack.CheckoutRequestID}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resultCode":1037}',
    });
    expect(await control.json()).toMatchObject({ status: 'completed', resultCode: 1037 });
    const state = (await (await fetch(`${simulator.url}/__sim/state`)).json()) as {
      stk: unknown[];
    };
    expect(state.stk).toHaveLength(1);
  });

  it('rejects a duplicate B2C OriginatorConversationID and serves the v1 path too', async () => {
    const b2c = {
      OriginatorConversationID: 'dup-1',
      InitiatorName: 'testapi',
      SecurityCredential: 'x',
      CommandID: 'BusinessPayment',
      Amount: 10,
      PartyA: '174379',
      PartyB: '254708374149',
      Remarks: 'Test',
      QueueTimeOutURL: 'https://payrail.example/q',
      ResultURL: 'https://payrail.example/r',
    };
    expect((await post('/mpesa/b2c/v3/paymentrequest', b2c)).status).toBe(200);
    const duplicate = await post('/mpesa/b2c/v3/paymentrequest', b2c);
    expect(duplicate.status).toBe(500);
    expect(await duplicate.json()).toMatchObject({ errorCode: '500.002.1001' });
    const { OriginatorConversationID: _none, ...v1 } = b2c;
    expect((await post('/mpesa/b2c/v1/paymentrequest', v1)).status).toBe(200);
    expect((await post('/mpesa/b2c/v3/paymentrequest', v1)).status).toBe(400);
  });

  it('maps test phone numbers to ResultCodes', () => {
    expect(resultCodeForPhone('254708374149')).toBe(0);
    expect(resultCodeForPhone('254700001032')).toBe(1032);
    expect(resultCodeForPhone('254700000001')).toBe(1);
    expect(resultCodeForPhone('254700002001')).toBe(2001);
  });
});
