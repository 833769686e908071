/** The merchant webhooks' entities, registered in src/database/entities.ts. */
export const MERCHANT_WEBHOOK_ENTITIES: Function[] = [];
