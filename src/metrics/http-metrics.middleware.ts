import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

const KNOWN_ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics']);

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const path = req.originalUrl.split('?')[0];
      end({
        method: req.method,
        route: KNOWN_ROUTES.has(path) ? path : 'other', // bounded label set
        status: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  }
}
