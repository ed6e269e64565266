import { ApolloServerPlugin } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { MetricsService } from './metrics.service';

const logger = new Logger('GraphQL');

/**
 * Times every operation into siqian_graphql_operation_duration_seconds and logs one line per operation:
 * type, name, duration and error codes — never the variables (they hold personal data).
 */
export function graphqlMetricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const codes = (errors ?? []).map((e) =>
            typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL',
          );
          // Unnamed operations are not used as a label value: clients could otherwise grow the label set.
          const labels = {
            type: operation?.operation ?? 'invalid',
            operation: operationName && /^[A-Za-z_]\w{0,63}$/.test(operationName) ? operationName : 'anonymous',
            outcome: codes[0] ?? 'ok',
          };
          metrics.graphqlDuration.observe(labels, seconds);
          logger.debug({ ...labels, ms: Math.round(seconds * 1000), errors: codes }, 'graphql operation');
        },
      };
    },
  };
}
