import { CardAuthorizationEntity } from './entities/card-authorization.entity';
import { VirtualCardEntity } from './entities/virtual-card.entity';

/** The virtual cards module's entities, registered in src/database/entities.ts. */
export const CARD_ENTITIES = [VirtualCardEntity, CardAuthorizationEntity];
