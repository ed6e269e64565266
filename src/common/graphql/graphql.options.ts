import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { buildGraphQLContext } from '../../auth/auth-context';
import { AuthenticationService } from '../../auth/authentication.service';
import { wsOnConnect } from '../../auth/ws-auth';
import { AppConfig } from '../../config/config';
import { formatGraphQLError } from '../errors/format-error';
import { graphqlMetricsPlugin } from '../../metrics/graphql-metrics.plugin';
import { MetricsService } from '../../metrics/metrics.service';
import { complexityPlugin } from './complexity.plugin';
import { DateTimeScalar } from './date-time.scalar';
import { depthLimitRule } from './depth-limit.rule';

/** Apollo (code-first) options: one place for limits, error mapping, landing page and subscriptions. */
export function graphqlOptions(
  cfg: AppConfig,
  metrics: MetricsService,
  schemaHost: GraphQLSchemaHost,
  authentication?: AuthenticationService,
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
    // AuthGuard (global) also runs on @ResolveField methods, for field-level @Roles (src/auth/auth.guard.ts).
    fieldResolverEnhancers: ['guards'],
    subscriptions: { 'graphql-ws': graphqlWsOptions(authentication) },
    // A fresh context object per operation (HTTP request or WebSocket subscribe): AuthGuard keeps the
    // operation's principal on it.
    context: buildGraphQLContext,
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
function graphqlWsOptions(authentication: AuthenticationService | undefined): Record<string, unknown> {
  return {
    path: '/graphql',
    ...(authentication ? { onConnect: wsOnConnect(authentication) } : {}),
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
