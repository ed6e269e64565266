import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { ApiErrorCode } from '../errors/api-error-code';

/**
 * JSON body parsing with a size limit. A body that is too large or not JSON gets a GraphQL-shaped error with
 * a typed code (413 / 400), never an HTML page or a 500.
 */
export function installBodyParsers(app: NestExpressApplication, limit: string): void {
  // callbacks (banks' Standard Webhooks) are verified over their exact bytes: kept raw (a Buffer), whatever the type
  app.use('/callbacks', express.raw({ type: () => true, limit: '64kb' }));
  app.use(express.json({ limit }));
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
    const message =
      err.type === 'entity.too.large'
        ? `Request body larger than the limit of ${limit}`
        : err.type === 'entity.parse.failed'
          ? 'Request body is not valid JSON'
          : 'Request body could not be read';
    res.status(status).json({ errors: [{ message, extensions: { code: ApiErrorCode.BAD_USER_INPUT } }] });
  });
}
