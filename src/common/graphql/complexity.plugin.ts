import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { ApiErrorCode } from '../errors/api-error-code';
import { fieldFromMessage } from '../errors/format-error';

/**
 * The cost of an operation: every field costs 1 unless its definition says otherwise (`@Field({ complexity })`
 * — list fields multiply by their `first`/`limit` argument). Returns an error to send instead of running the
 * operation (over `maxCost`: QUERY_TOO_COMPLEX; a bad variable, which getComplexity coerces first:
 * BAD_USER_INPUT), or undefined. Used for HTTP (plugin below) and WebSocket (graphql.options.ts).
 */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): GraphQLError | undefined {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: document,
      operationName,
      variables: variables ?? {},
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    const field = fieldFromMessage(e.message);
    return new GraphQLError(e.message, {
      extensions: { code: ApiErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}), http: { status: 400 } },
    });
  }
  if (complexity <= maxCost) return undefined;
  return new GraphQLError(`Query is too complex: cost ${complexity} exceeds the limit of ${maxCost}`, {
    extensions: { code: ApiErrorCode.QUERY_TOO_COMPLEX, complexity, maxComplexity: maxCost, http: { status: 400 } },
  });
}

/** Cost limit for HTTP operations: refused before they run, with HTTP 400. */
export function complexityPlugin(getSchema: () => GraphQLSchema, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ request, document, operationName }) {
          const error = costError(getSchema(), document, request.variables, operationName ?? undefined, maxCost);
          if (error) throw error;
        },
      };
    },
  };
}
