/**
 * The deployment profile. `development`, `demo` and `test` may fall back to built-in demo secrets;
 * `production` never does. Production code never branches on NODE_ENV: it reads this.
 */
export const APP_PROFILES = ['development', 'demo', 'test', 'production'] as const;
export type AppProfile = (typeof APP_PROFILES)[number];

export function currentProfile(env: NodeJS.ProcessEnv = process.env): AppProfile {
  const value = env.APP_PROFILE ?? 'production';
  return (APP_PROFILES as readonly string[]).includes(value) ? (value as AppProfile) : 'production';
}

export function allowsDemoSecrets(env: NodeJS.ProcessEnv = process.env): boolean {
  return currentProfile(env) !== 'production';
}

/** A secret's value, or its demo default outside production. Demo values are public: never use them live. */
export function secret(
  env: NodeJS.ProcessEnv,
  name: string,
  demoValue: string,
): string | undefined {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  return allowsDemoSecrets(env) ? demoValue : undefined;
}

export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  return Number(value);
}

export function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}
