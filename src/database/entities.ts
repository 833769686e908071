import { ApiKeyEntity } from '../modules/users/entities/api-key.entity';
import { MerchantEntity } from '../modules/users/entities/merchant.entity';
import { RefreshTokenEntity } from '../modules/users/entities/refresh-token.entity';
import { UserEntity } from '../modules/users/entities/user.entity';

/** Every entity, for the app's DataSource and the migration CLI alike. */
export const ENTITIES = [MerchantEntity, UserEntity, RefreshTokenEntity, ApiKeyEntity];
