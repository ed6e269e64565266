import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ApiErrorCode } from '../errors/api-error-code';
import { fieldFromMessage } from '../errors/format-error';

/**
 * Cost limit: every field costs 1 unless its definition says otherwise (`@Field({ complexity })` — list
 * fields multiply by their `first`/`limit` argument). An operation over `maxCost` is refused before it runs
 * with QUERY_TOO_COMPLEX (HTTP 400).
 */
export function complexityPlugin(getSchema: () => GraphQLSchema, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ request, document, operationName }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: getSchema(),
              query: document,
              operationName: operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // getComplexity coerces the variables before Apollo does: a bad variable surfaces here first.
            if (!(e instanceof GraphQLError)) throw e;
            const field = fieldFromMessage(e.message);
            throw new GraphQLError(e.message, {
              extensions: { code: ApiErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}), http: { status: 400 } },
            });
          }
          if (complexity > maxCost) {
            throw new GraphQLError(`Query is too complex: cost ${complexity} exceeds the limit of ${maxCost}`, {
              extensions: {
                code: ApiErrorCode.QUERY_TOO_COMPLEX,
                complexity,
                maxComplexity: maxCost,
                http: { status: 400 },
              },
            });
          }
        },
      };
    },
  };
}
