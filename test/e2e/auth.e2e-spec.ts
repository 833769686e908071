import { DataSource } from 'typeorm';
import { UserEntity } from '../../src/modules/users/entities/user.entity';
import { LOG_IN, TEST_PASSWORD, createUser, logIn } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

const REFRESH = `mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken } }`;
const ME = `{ me { id email role } }`;
const LOG_OUT = `mutation($input: RefreshTokenInput!) { logOut(input: $input) }`;

describe('authentication (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('signs up, reads its profile and logs in', async () => {
    const user = await createUser(t, { email: 'Ada.Lovelace@Example.test' });
    expect(user.email).toBe('ada.lovelace@example.test');
    const me = await t.gql.ok<{ me: { id: string } }>(ME, {}, user.accessToken);
    expect(me.me.id).toBe(user.id);
    const again = await logIn(t, 'ADA.lovelace@example.test');
    expect(again.id).toBe(user.id);
  });

  it('refuses a duplicate email with CONFLICT', async () => {
    const user = await createUser(t);
    const result = await t.gql.request(
      `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      { input: { email: user.email, password: TEST_PASSWORD, name: 'Again' } },
    );
    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0].extensions?.reason).toBe('USER_EMAIL_TAKEN');
  });

  it('names the invalid fields of a sign-up', async () => {
    const result = await t.gql.request(
      `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      {
        input: { email: 'not-an-email', password: 'short', name: 'X' },
      },
    );
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = result.errors?.[0].extensions?.details?.fields as Record<string, string[]>;
    expect(Object.keys(fields).sort()).toEqual(['email', 'password']);
  });

  it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
    const user = await createUser(t);
    const first = await t.gql.ok<{ refreshToken: { accessToken: string; refreshToken: string } }>(
      REFRESH,
      {
        input: { refreshToken: user.refreshToken },
      },
    );
    expect(first.refreshToken.refreshToken).not.toBe(user.refreshToken);
    // Replaying the spent token is theft: refused, and the fresh token dies with its family.
    const replay = await t.gql.request(REFRESH, { input: { refreshToken: user.refreshToken } });
    expect(replay.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0].extensions?.reason).toBe('AUTH_REFRESH_TOKEN_REUSED');
    const afterTheft = await t.gql.request(REFRESH, {
      input: { refreshToken: first.refreshToken.refreshToken },
    });
    expect(afterTheft.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets only one of two concurrent refreshes with the same token win', async () => {
    const user = await createUser(t);
    const results = await Promise.all([
      t.gql.request(REFRESH, { input: { refreshToken: user.refreshToken } }),
      t.gql.request(REFRESH, { input: { refreshToken: user.refreshToken } }),
    ]);
    expect(results.filter((result) => !result.errors).length).toBeLessThanOrEqual(1);
  });

  it('logs out: the refresh token stops working', async () => {
    const user = await createUser(t);
    expect(
      await t.gql.ok(LOG_OUT, { input: { refreshToken: user.refreshToken } }, user.accessToken),
    ).toEqual({ logOut: true });
    const result = await t.gql.request(REFRESH, { input: { refreshToken: user.refreshToken } });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('changes the password and ends every session', async () => {
    const user = await createUser(t);
    await t.gql.ok(
      `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`,
      { input: { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-password' } },
      user.accessToken,
    );
    expect(await t.gql.errorCode(ME, {}, user.accessToken)).toBe('UNAUTHENTICATED');
    expect(
      await t.gql.errorCode(LOG_IN, { input: { email: user.email, password: TEST_PASSWORD } }),
    ).toBe('UNAUTHENTICATED');
    await logIn(t, user.email, 'a-brand-new-password');
  });

  it('rejects alg:none, wrong issuer, wrong audience, expired and malformed tokens', async () => {
    const user = await createUser(t);
    const [header, payload] = user.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const encode = (value: object): string =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const { JwtService } = await import('@nestjs/jwt');
    const jwt = new JwtService({});
    const secret = process.env.JWT_ACCESS_SECRET ?? 'demo-access-secret-change-me-0123456789abcdef';
    const sign = (overrides: Record<string, unknown>): string =>
      jwt.sign({ ...claims, ...overrides }, { secret, algorithm: 'HS256' });
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      sign({ iss: 'someone-else' }),
      sign({ aud: 'another-api' }),
      sign({ iat: now - 7200, exp: now - 3600 }),
      `${header}.${payload}.c2lnbmF0dXJl`,
      'not-a-jwt',
    ];
    for (const token of bad) expect(await t.gql.errorCode(ME, {}, token)).toBe('UNAUTHENTICATED');
    expect(sign({})).toBeTruthy();
    expect((await t.gql.request(ME, {}, sign({}))).errors).toBeUndefined();
  });

  it('locks an account after 10 failed logins with a message that reveals nothing', async () => {
    const user = await createUser(t);
    const wrong = { input: { email: user.email, password: 'wrong-password-123' } };
    const messages = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const result = await t.gql.request(LOG_IN, wrong);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      messages.add(result.errors![0].message);
    }
    const locked = await t.gql.request(LOG_IN, {
      input: { email: user.email, password: TEST_PASSWORD },
    });
    expect(locked.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    messages.add(locked.errors![0].message);
    const unknown = await t.gql.request(LOG_IN, {
      input: { email: 'nobody@example.test', password: TEST_PASSWORD },
    });
    messages.add(unknown.errors![0].message);
    // Wrong password, locked account and unknown email all read the same.
    expect(messages.size).toBe(1);
    const stored = await t.app
      .get(DataSource)
      .getRepository(UserEntity)
      .findOneByOrFail({ id: user.id });
    expect(stored.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 29 * 60 * 1000);
    // Once the lock has passed, the right password works again.
    await t.app
      .get(DataSource)
      .getRepository(UserEntity)
      .update({ id: user.id }, { lockedUntil: new Date(Date.now() - 1000) });
    await logIn(t, user.email);
  });
});
