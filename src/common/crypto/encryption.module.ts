import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { encryptionConfig } from '../../config/encryption.config';
import { ENCRYPTION_OPTIONS, EncryptionService, toEncryptionOptions } from './encryption.service';

/** AES-256-GCM for sensitive columns; keys come from ENCRYPTION_KEYS and rotate by key id. */
@Global()
@Module({
  providers: [
    {
      provide: ENCRYPTION_OPTIONS,
      inject: [encryptionConfig.KEY],
      useFactory: (config: ConfigType<typeof encryptionConfig>) => toEncryptionOptions(config),
    },
    EncryptionService,
  ],
  exports: [EncryptionService],
})
export class EncryptionModule {}
