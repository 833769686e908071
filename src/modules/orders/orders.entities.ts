import { OrderLineItemEntity } from './entities/order-line-item.entity';
import { OrderEntity } from './entities/order.entity';

/** The orders module's entities, registered in src/database/entities.ts. */
export const ORDER_ENTITIES = [OrderEntity, OrderLineItemEntity];
