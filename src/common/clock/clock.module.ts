import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { Clock } from './clock';

/** One clock per process, started where the config says (CLOCK_START). */
@Global()
@Module({
  providers: [{ provide: Clock, inject: [APP_CONFIG], useFactory: (cfg: AppConfig) => new Clock(cfg.clockStart) }],
  exports: [Clock],
})
export class ClockModule {}
