/** The risk module's entities, registered in src/database/entities.ts. */
export const RISK_ENTITIES: Function[] = [];
