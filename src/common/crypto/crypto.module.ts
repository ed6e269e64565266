import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { PiiCipher } from './pii-cipher';

/** Provides the one PiiCipher built from PII_ENCRYPTION_KEY (and PII_ENCRYPTION_KEY_PREVIOUS during a rotation). */
@Global()
@Module({
  providers: [
    {
      provide: PiiCipher,
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) =>
        new PiiCipher(cfg.secrets.piiKey, cfg.secrets.piiPreviousKey ? [cfg.secrets.piiPreviousKey] : []),
    },
  ],
  exports: [PiiCipher],
})
export class CryptoModule {}
