import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config';

/** Injection token of the typed, validated AppConfig (read it only through this). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Provides the AppConfig validated once by loadConfig() in the entry point. (Not @nestjs/config: its
 * string-keyed ConfigService.get() loses the types that this object keeps; validation is ours either way.)
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
