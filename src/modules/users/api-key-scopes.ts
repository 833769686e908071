/** What a merchant API key may be allowed to do. Operations name the scope they need. */
export const API_KEY_SCOPES = [
  'merchant:read',
  'orders:read',
  'orders:write',
  'payments:read',
  'payments:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
