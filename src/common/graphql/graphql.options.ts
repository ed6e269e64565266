import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  DocumentNode,
  execute,
  ExecutionArgs,
  GraphQLError,
  parse,
  specifiedRules,
  subscribe,
  validate,
} from 'graphql';
import { withQueryTimeLimit } from '../../database/query-time-limit';
import { AppConfig } from '../../config/config';
import { formatGraphQLError } from '../errors/format-error';
import { graphqlMetricsPlugin } from '../../metrics/graphql-metrics.plugin';
import { MetricsService } from '../../metrics/metrics.service';
import { complexityPlugin, costError } from './complexity.plugin';
import { DateTimeScalar } from './date-time.scalar';
import { depthLimitRule } from './depth-limit.rule';

/**
 * How operations are authenticated, supplied by the app's wiring (src/sessions, src/auth): common/ knows no
 * feature. `context` builds each operation's context; `onConnect` checks a WebSocket's connection_init.
 */
export interface GraphQLAuthHooks {
  context: (ctx: Record<string, unknown>) => unknown;
  onConnect?: (ctx: never) => Promise<boolean>;
}

/** Apollo (code-first) options: one place for limits, error mapping, landing page and subscriptions. */
export function graphqlOptions(
  cfg: AppConfig,
  metrics: MetricsService,
  schemaHost: GraphQLSchemaHost,
  auth: GraphQLAuthHooks,
): ApolloDriverConfig {
  return {
    autoSchemaFile: cfg.graphql.schemaFile ?? true,
    sortSchema: true,
    path: '/graphql',
    playground: false,
    introspection: cfg.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    buildSchemaOptions: { numberScalarMode: 'integer', scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    validationRules: [depthLimitRule(cfg.graphql.maxDepth)],
    formatError: formatGraphQLError,
    plugins: [
      cfg.graphql.landingPage
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      complexityPlugin(() => schemaHost.schema, cfg.graphql.maxCost),
      graphqlMetricsPlugin(metrics),
    ],
    // AuthGuard (global) also runs on @ResolveField methods, for field-level @Roles (src/sessions/auth.guard.ts).
    fieldResolverEnhancers: ['guards'],
    subscriptions: { 'graphql-ws': graphqlWsOptions(cfg, schemaHost, auth.onConnect) },
    // A fresh context object per operation (HTTP request or WebSocket subscribe): AuthGuard keeps the
    // operation's principal on it.
    context: auth.context,
  };
}

/**
 * graphql-ws onSubscribe: the same limits as HTTP (Apollo's validation rules and plugins do not run for
 * WebSocket operations): parse, validate with the standard rules plus the depth rule, then the cost check.
 * Returns errors to send instead of running, or the execution args.
 */
function wsLimits(cfg: AppConfig, schemaHost: GraphQLSchemaHost) {
  return (
    _ctx: unknown,
    _id: unknown,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): readonly GraphQLError[] | ExecutionArgs => {
    const schema = schemaHost.schema;
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (e) {
      const message = e instanceof GraphQLError ? e.message : 'Syntax Error';
      return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const invalid = validate(schema, document, [...specifiedRules, depthLimitRule(cfg.graphql.maxDepth)]);
    if (invalid.length > 0) {
      // Tagged as Apollo tags them; our own codes (the depth rule's) survive as the original error.
      return invalid.map(
        (e) => new GraphQLError(e.message, { originalError: e, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      );
    }
    const operationName = payload.operationName ?? undefined;
    const variables = payload.variables ?? undefined;
    const tooCostly = costError(schema, document, variables, operationName, cfg.graphql.maxCost);
    if (tooCostly) return [tooCostly];
    return { schema, document, operationName, variableValues: variables };
  };
}

function formatWsError(e: GraphQLError): GraphQLError {
  const f = formatGraphQLError(e.toJSON(), e);
  return new GraphQLError(f.message, { path: f.path, extensions: f.extensions });
}

/**
 * graphql-ws options. connection_init `{ authorization: "Bearer <accessToken>" }` is checked by onConnect (a
 * bad token closes the socket with 4401). Apollo's formatError does not see WebSocket results, so onNext and
 * onError apply the same mapping (extensions.code). onError is not in Nest's option type but is passed through
 * to graphql-ws's useServer like the others.
 */
function graphqlWsOptions(
  cfg: AppConfig,
  schemaHost: GraphQLSchemaHost,
  onConnect: GraphQLAuthHooks['onConnect'],
): Record<string, unknown> {
  return {
    path: '/graphql',
    ...(onConnect ? { onConnect } : {}),
    onSubscribe: wsLimits(cfg, schemaHost),
    // the store's time limit for the reads of each operation, as for HTTP requests (app.factory.ts)
    execute: (args: ExecutionArgs) => withQueryTimeLimit(cfg.mongo.queryTimeoutMs, () => execute(args)),
    subscribe: async (args: ExecutionArgs) =>
      limitEachEvent(
        cfg.mongo.queryTimeoutMs,
        await withQueryTimeLimit(cfg.mongo.queryTimeoutMs, () => subscribe(args)),
      ),
    onNext: (
      _ctx: unknown,
      _id: unknown,
      _payload: unknown,
      _args: unknown,
      result: { errors?: readonly GraphQLError[] },
    ) => (result.errors ? { ...result, errors: result.errors.map(formatWsError) } : undefined),
    onError: (_ctx: unknown, _id: unknown, _payload: unknown, errors: readonly GraphQLError[]) =>
      errors.map(formatWsError),
  };
}

/**
 * A subscription's events are resolved when graphql-ws asks its iterator for the next one, outside the context
 * subscribe() ran in: each next() runs inside the time limit too.
 */
function limitEachEvent<T>(ms: number, result: AsyncGenerator<T> | T): AsyncGenerator<T> | T {
  if (!result || typeof result !== 'object' || !(Symbol.asyncIterator in result)) return result;
  const it = result;
  const limited: AsyncGenerator<T> = {
    next: (...a) => withQueryTimeLimit(ms, () => it.next(...a)),
    return: (v) => it.return(v),
    throw: (e) => it.throw(e),
    [Symbol.asyncIterator]: () => limited,
    [Symbol.asyncDispose]: async () => {
      await it.return(undefined);
    },
  };
  return limited;
}
