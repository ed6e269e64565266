import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  TypeInfo,
  ValueNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
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
  const measured = measure(schema, document, variables, operationName);
  if (measured instanceof GraphQLError) return measured;
  return measured <= maxCost ? undefined : tooComplex(measured, maxCost);
}

/** The cost, or the BAD_USER_INPUT error of a variable that getComplexity could not coerce. */
function measure(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
): number | GraphQLError {
  try {
    return getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
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
}

function tooComplex(complexity: number, maxCost: number): GraphQLError {
  return new GraphQLError(`Query is too complex: cost ${complexity} exceeds the limit of ${maxCost}`, {
    extensions: { code: ApiErrorCode.QUERY_TOO_COMPLEX, complexity, maxComplexity: maxCost, http: { status: 400 } },
  });
}

/**
 * Whether the cost of `document` can depend on its variables' values: a variable used in an argument of a field
 * whose cost is a function of its arguments (`@Field({ complexity: ({ args }) => ... })`), or in a directive
 * (`@include(if: $x)`). Conservative: any such use anywhere in the document (every operation and fragment).
 */
export function costDependsOnVariables(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let depends = false;
  const usesVariable = (node: { arguments?: readonly { value: ValueNode }[] }): boolean =>
    (node.arguments ?? []).some((a) => hasVariable(a.value));
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const def = typeInfo.getFieldDef();
        // an unknown field (validation refuses it anyway) or a computed cost: decided per request
        if (!def || (typeof def.extensions?.complexity === 'function' && usesVariable(node))) depends = true;
      },
      Directive(node) {
        if (usesVariable(node)) depends = true;
      },
    }),
  );
  return depends;
}

function hasVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(hasVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((f) => hasVariable(f.value));
  return false;
}

/**
 * Cost limit for HTTP operations: refused before they run, with HTTP 400. Apollo keeps one parsed document per
 * query text, so the cost of a document that does not depend on its variables (`submitReport(input: $input)`)
 * is computed once per operation name and remembered; the variables of such requests are coerced once, by the
 * execution (whose errors are BAD_USER_INPUT with HTTP 400 as well, through the same error mapping).
 */
export function complexityPlugin(getSchema: () => GraphQLSchema, maxCost: number): ApolloServerPlugin {
  const known = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number> | 'per-request'>>();
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ request, document, operationName }) {
          const schema = getSchema();
          const bySchema = known.get(schema) ?? new WeakMap();
          known.set(schema, bySchema);
          let costs = bySchema.get(document);
          if (costs === undefined) {
            costs = costDependsOnVariables(schema, document) ? 'per-request' : new Map<string, number>();
            bySchema.set(document, costs);
          }
          const name = operationName ?? '';
          const cached = costs === 'per-request' ? undefined : costs.get(name);
          if (cached !== undefined) {
            if (cached > maxCost) throw tooComplex(cached, maxCost);
            return;
          }
          const measured = measure(schema, document, request.variables, operationName);
          if (measured instanceof GraphQLError) throw measured;
          if (costs !== 'per-request') costs.set(name, measured);
          if (measured > maxCost) throw tooComplex(measured, maxCost);
        },
      };
    },
  };
}
