export const ORDER_ENTITIES: Function[] = [];
