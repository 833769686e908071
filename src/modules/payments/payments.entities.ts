export const PAYMENT_ENTITIES: Function[] = [];
