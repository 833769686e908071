import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserEntity } from '../../src/modules/users/entities/user.entity';
import { Role } from '../../src/modules/users/role';
import type { TestApp } from '../utils/create-test-app';

export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  merchantId: string | null;
  accessToken: string;
  refreshToken: string;
}

const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) { user { id email role merchantId } tokens { accessToken refreshToken } }
}`;

export const LOG_IN = `mutation($input: LogInInput!) {
  logIn(input: $input) { user { id email role merchantId } tokens { accessToken refreshToken } }
}`;

interface AuthResult {
  user: { id: string; email: string; role: Role; merchantId: string | null };
  tokens: { accessToken: string; refreshToken: string };
}

export async function logIn(
  testApp: TestApp,
  email: string,
  password = TEST_PASSWORD,
): Promise<TestUser> {
  const data = await testApp.gql.ok<{ logIn: AuthResult }>(LOG_IN, { input: { email, password } });
  return { ...data.logIn.user, ...data.logIn.tokens };
}

/**
 * Creates a user through the public API (sign-up), then, for staff roles, promotes it directly in
 * the database the way an operator's seed would, and signs in again so the token carries the role.
 */
export async function createUser(
  testApp: TestApp,
  overrides: { role?: Role; email?: string; merchantName?: string; name?: string } = {},
): Promise<TestUser> {
  const role = overrides.role ?? Role.CUSTOMER;
  const email = overrides.email ?? `${role.toLowerCase()}-${randomUUID()}@example.test`;
  const merchantName =
    role === Role.MERCHANT
      ? (overrides.merchantName ?? `Shop ${randomUUID().slice(0, 8)}`)
      : undefined;
  const data = await testApp.gql.ok<{ signUp: AuthResult }>(SIGN_UP, {
    input: { email, password: TEST_PASSWORD, name: overrides.name ?? 'Test User', merchantName },
  });
  if (role === Role.SUPPORT || role === Role.ADMIN) {
    await testApp.app
      .get(DataSource)
      .getRepository(UserEntity)
      .update({ id: data.signUp.user.id }, { role });
    return logIn(testApp, email);
  }
  return { ...data.signUp.user, ...data.signUp.tokens };
}
