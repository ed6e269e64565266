import { Logger, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { installQueryTimeLimit } from './query-time-limit';

/**
 * The MongoDB connection (MongoDB in production, FerretDB v1 embedded). Queries must stay within what both
 * serve: see the store section of STYLE.md (only exact `_id` lookups are indexed on FerretDB v1).
 */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => {
        // requests' reads get the store's time limit (query-time-limit.ts); background work has none
        installQueryTimeLimit();
        return {
          uri: cfg.mongo.uri,
          serverSelectionTimeoutMS: 15_000,
          // FerretDB v1 has no transactions, so no retryable writes either; harmless on MongoDB.
          retryWrites: false,
          autoIndex: true,
          autoCreate: false,
          connectionFactory: (conn: Connection) => {
            const logger = new Logger('Mongo');
            // Without an 'error' listener a refused connection would crash the process.
            conn.on('error', (e: Error) => logger.error(`store error: ${e.message}`));
            conn.on('disconnected', () => logger.warn('store disconnected'));
            conn.on('reconnected', () => logger.log('store reconnected'));
            return conn;
          },
        };
      },
    }),
  ],
})
export class DatabaseModule {}
