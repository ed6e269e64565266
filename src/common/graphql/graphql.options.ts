import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLSchemaHost } from '@nestjs/graphql';
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
    subscriptions: { 'graphql-ws': { path: '/graphql' } },
    context: (ctx: { req?: unknown; res?: unknown; extra?: unknown; connectionParams?: unknown }) => ctx,
  };
}
