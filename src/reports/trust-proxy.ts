import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';

/**
 * Express `trust proxy` from TRUST_PROXY (default off: `req.ip` is the socket's peer). Behind a reverse proxy
 * set it to the proxy's hop count or addresses, or every client shares the proxy's address — and its rate
 * limit. Never `true` on a server reachable directly: X-Forwarded-For would then be the client's to forge.
 * (Lives here because the public rate limits are its first user; app.factory.ts is the natural home later.)
 */
@Injectable()
export class TrustProxySetup implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance?.() as
      { set?: (k: string, v: unknown) => void } | undefined;
    instance?.set?.('trust proxy', this.cfg.trustProxy);
  }
}
