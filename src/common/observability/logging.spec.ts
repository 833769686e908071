import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACT_PATHS, maskCardNumbers } from './logging';

describe('log hygiene', () => {
  it('masks card-like numbers in free text but leaves ordinary numbers', () => {
    expect(maskCardNumbers('card 4242 4242 4242 4242 declined')).toBe(
      'card [card ****4242] declined',
    );
    expect(maskCardNumbers('pan=4000002500003155')).toBe('pan=[card ****3155]');
    expect(maskCardNumbers('order 123456 for 2500 paisa')).toBe('order 123456 for 2500 paisa');
  });

  it('redacts authorization headers, passwords, tokens and gateway secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: {
        headers: {
          authorization: 'Bearer eyJhbGciOi.secret.sig',
          'stripe-signature': 't=1,v1=abc',
        },
      },
      input: { password: 'hunter2-hunter2', refreshToken: 'rt_abc' },
      gateway: { clientSecret: 'paypal-secret', passkey: 'mpesa-passkey' },
    });
    const line = lines.join('');
    for (const secret of [
      'eyJhbGciOi',
      'hunter2',
      'rt_abc',
      'paypal-secret',
      'mpesa-passkey',
      'v1=abc',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });
});
