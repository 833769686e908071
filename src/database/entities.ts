import { AUDIT_ENTITIES } from '../modules/audit/audit.entities';
import { CARD_ENTITIES } from '../modules/cards/cards.entities';
import { LEDGER_ENTITIES } from '../modules/ledger/ledger.entities';
import { MERCHANT_WEBHOOK_ENTITIES } from '../modules/merchant-webhooks/merchant-webhooks.entities';
import { ORDER_ENTITIES } from '../modules/orders/orders.entities';
import { PAYMENT_ENTITIES } from '../modules/payments/payments.entities';
import { RISK_ENTITIES } from '../modules/risk/risk.entities';
import { ApiKeyEntity } from '../modules/users/entities/api-key.entity';
import { MerchantEntity } from '../modules/users/entities/merchant.entity';
import { RefreshTokenEntity } from '../modules/users/entities/refresh-token.entity';
import { UserEntity } from '../modules/users/entities/user.entity';
import { WALLET_ENTITIES } from '../modules/wallets/wallets.entities';

/** Every entity, for the app's DataSource and the migration CLI alike. Each module lists its own. */
export const ENTITIES = [
  MerchantEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
  ...LEDGER_ENTITIES,
  ...ORDER_ENTITIES,
  ...PAYMENT_ENTITIES,
  ...MERCHANT_WEBHOOK_ENTITIES,
  ...RISK_ENTITIES,
  ...AUDIT_ENTITIES,
  ...WALLET_ENTITIES,
  ...CARD_ENTITIES,
];
