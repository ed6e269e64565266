import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GqlContext } from '../auth/auth-context';
import { Language } from './notices';

/**
 * The language the request's Accept-Language prefers among zh and en (Express's content negotiation), or
 * undefined (no header, neither language, or a WebSocket operation).
 */
export const AcceptLanguage = createParamDecorator((_: unknown, ctx: ExecutionContext): Language | undefined => {
  const gql = GqlExecutionContext.create(ctx).getContext<GqlContext>();
  const req = gql.transport === 'http' ? (gql.req as unknown as Request | undefined) : undefined;
  if (!req?.headers?.['accept-language'] || typeof req.acceptsLanguages !== 'function') return undefined;
  const best = req.acceptsLanguages('zh', 'en');
  return best === 'en' ? Language.EN : best === 'zh' ? Language.ZH : undefined;
});

/** The explicit `language` argument first, then Accept-Language, then Chinese (the public is Chinese-speaking first). */
export const chooseLanguage = (explicit: Language | null | undefined, accepted: Language | undefined): Language =>
  explicit ?? accepted ?? Language.ZH;
