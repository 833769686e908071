import { WalletAdjustmentEntity } from './entities/wallet-adjustment.entity';
import { WalletHoldEntity } from './entities/wallet-hold.entity';
import { WalletTransferEntity } from './entities/wallet-transfer.entity';
import { WalletEntity } from './entities/wallet.entity';
import { FxRateEntity } from './fx/entities/fx-rate.entity';
import { WalletConversionEntity } from './fx/entities/wallet-conversion.entity';
import { WalletPayoutEntity } from './payouts/wallet-payout.entity';

/** The wallets module's entities, registered in src/database/entities.ts. */
export const WALLET_ENTITIES = [
  WalletEntity,
  WalletTransferEntity,
  WalletHoldEntity,
  WalletAdjustmentEntity,
  FxRateEntity,
  WalletConversionEntity,
  WalletPayoutEntity,
];
