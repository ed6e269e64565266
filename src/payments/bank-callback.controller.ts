import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BankCallbacksService } from './bank-callbacks.service';

/**
 * `POST /callbacks/bank`: the banks' answers (Standard Webhooks v1). The body arrives raw (a Buffer: the
 * signature covers the exact bytes; see installBodyParsers); the answer is a status and a one-line reason.
 */
@Controller('callbacks')
export class BankCallbackController {
  constructor(private readonly callbacks: BankCallbacksService) {}

  @Post('bank')
  @HttpCode(200)
  async bank(@Req() req: Request, @Res() res: Response): Promise<void> {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const answer = await this.callbacks.receive(req.headers, raw);
    res.status(answer.status).json({ ok: answer.status === 200, message: answer.message });
  }
}
