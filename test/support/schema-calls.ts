/**
 * Builds a syntactically valid call for every root field of a schema from an introspection result, with dummy
 * arguments (so that a test can check the field's access policy without knowing its arguments).
 */

export interface IntroType {
  kind: string;
  name: string | null;
  ofType: IntroType | null;
}
export interface IntroInputValue {
  name: string;
  type: IntroType;
  defaultValue: string | null;
}
export interface IntroField {
  name: string;
  args: IntroInputValue[];
  type: IntroType;
}
export interface IntroFullType {
  kind: string;
  name: string;
  fields: IntroField[] | null;
  inputFields: IntroInputValue[] | null;
  enumValues: { name: string }[] | null;
}
export interface IntroSchema {
  queryType: { name: string } | null;
  mutationType: { name: string } | null;
  subscriptionType: { name: string } | null;
  types: IntroFullType[];
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
export const INTROSPECTION_QUERY = `{
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types {
      kind name
      fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } }
      inputFields { name defaultValue type { ${TYPE_REF} } }
      enumValues { name }
    }
  }
}`;

/** Literals for scalars; custom scalars of this API get a value they accept. */
export const SCALAR_LITERALS: Record<string, string> = {
  ID: '"x"',
  String: '"x"',
  Int: '1',
  Float: '1.5',
  Boolean: 'true',
  DateTime: '"2026-01-01T00:00:00Z"',
  Money: '"1.00"',
};

export interface RootCall {
  operation: 'query' | 'mutation' | 'subscription';
  field: string;
  /** A complete GraphQL document calling only this field. */
  document: string;
}

export function rootCalls(schema: IntroSchema): RootCall[] {
  const byName = new Map(schema.types.map((t) => [t.name, t]));
  const named = (t: IntroType): IntroType => (t.ofType ? named(t.ofType) : t);

  const literal = (t: IntroType, depth: number): string => {
    if (t.kind === 'NON_NULL') return literal(t.ofType as IntroType, depth);
    if (t.kind === 'LIST') return `[${literal(t.ofType as IntroType, depth)}]`;
    const full = byName.get(t.name as string);
    if (t.kind === 'SCALAR') {
      const v = SCALAR_LITERALS[t.name as string];
      if (!v) throw new Error(`schema-calls: no dummy literal for scalar ${t.name}; add one`);
      return v;
    }
    if (t.kind === 'ENUM') return (full?.enumValues ?? [])[0].name;
    if (t.kind === 'INPUT_OBJECT') {
      if (depth > 5) throw new Error(`schema-calls: input ${t.name} nests too deep`);
      const required = (full?.inputFields ?? []).filter((f) => f.type.kind === 'NON_NULL' && f.defaultValue === null);
      return `{ ${required.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')} }`;
    }
    throw new Error(`schema-calls: unexpected input kind ${t.kind}`);
  };

  const selection = (t: IntroType): string => {
    const kind = named(t).kind;
    return kind === 'OBJECT' || kind === 'INTERFACE' || kind === 'UNION' ? ' { __typename }' : '';
  };

  const calls: RootCall[] = [];
  const roots: [RootCall['operation'], string | undefined][] = [
    ['query', schema.queryType?.name],
    ['mutation', schema.mutationType?.name],
    ['subscription', schema.subscriptionType?.name],
  ];
  for (const [operation, typeName] of roots) {
    if (!typeName) continue;
    for (const f of byName.get(typeName)?.fields ?? []) {
      const required = f.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
      const args = required.length ? `(${required.map((a) => `${a.name}: ${literal(a.type, 0)}`).join(', ')})` : '';
      calls.push({ operation, field: f.name, document: `${operation} { ${f.name}${args}${selection(f.type)} }` });
    }
  }
  return calls;
}
