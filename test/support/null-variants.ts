/**
 * For every optional argument and every optional input field reachable from the schema's operations (root
 * fields, and fields of the types they return up to three levels down), builds the same call three ways: with
 * the slot left out, with an explicit `null` written in the document, and with `null` passed as a variable.
 * GraphQL clients send explicit nulls all the time; a test runs the three and compares (test/null-arguments).
 */
import { IntroField, IntroInputValue, IntroSchema, IntroType, SCALAR_LITERALS } from './schema-calls';

export interface Call {
  query: string;
  variables: Record<string, unknown>;
}

export interface NullCase {
  operation: 'query' | 'mutation' | 'subscription';
  /** e.g. `Query.reports(after)`, `Mutation.submitReport(input.narrative)`, `Cluster.reports(first)` */
  label: string;
  /** The slot is `T!` with a default: a null there is the client's error, not "left out". */
  nonNull: boolean;
  omitted: Call;
  inline: Call;
  variable: Call;
  /** Response path (field names) to the field that holds the slot. */
  path: string[];
}

/**
 * Values the walker cannot invent (ids of existing objects, well-formed e-mails). `owner` is `Query.lookup`
 * for an argument of a field, or the input type name for an input field. A sample given for an OPTIONAL slot
 * makes it present in every call (e.g. one root of caseGraph). Called once per built call, so a sample may
 * be fresh each time (a new e-mail).
 */
export type Samples = (owner: string, name: string) => unknown;

const named = (t: IntroType): IntroType => (t.ofType ? named(t.ofType) : t);
const optional = (v: IntroInputValue) => v.type.kind !== 'NON_NULL' || v.defaultValue !== null;
const typeString = (t: IntroType): string =>
  t.kind === 'NON_NULL'
    ? `${typeString(t.ofType as IntroType)}!`
    : t.kind === 'LIST'
      ? `[${typeString(t.ofType as IntroType)}]`
      : (t.name as string);

export function nullCases(schema: IntroSchema, samples: Samples): NullCase[] {
  const byName = new Map(schema.types.map((t) => [t.name, t]));
  const enumNames = (t: IntroType) =>
    new Set((byName.get(named(t).name as string)?.enumValues ?? []).map((e) => e.name));

  /** A GraphQL literal for a JSON value of type t (enum values unquoted). */
  const literal = (t: IntroType, json: unknown): string => {
    if (json === null) return 'null';
    if (t.kind === 'NON_NULL') return literal(t.ofType as IntroType, json);
    if (t.kind === 'LIST') {
      const items = Array.isArray(json) ? json : [json];
      return `[${items.map((j) => literal(t.ofType as IntroType, j)).join(', ')}]`;
    }
    const full = byName.get(t.name as string);
    if (t.kind === 'ENUM' && typeof json === 'string' && enumNames(t).has(json)) return json;
    if (t.kind === 'INPUT_OBJECT' && typeof json === 'object') {
      const fields = new Map((full?.inputFields ?? []).map((f) => [f.name, f]));
      return `{ ${Object.entries(json as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${literal((fields.get(k) as IntroInputValue).type, v)}`)
        .join(', ')} }`;
    }
    return JSON.stringify(json);
  };

  /** A JSON value of type t: the sample, or a dummy; `nullAt` (a path of input field names) is set to null. */
  const value = (t: IntroType, owner: string, name: string, nullAt: string[] | undefined, depth: number): unknown => {
    if (nullAt && nullAt.length === 0) return null;
    if (!nullAt) {
      const s = samples(owner, name);
      if (s !== undefined) return s;
    }
    if (t.kind === 'NON_NULL') return value(t.ofType as IntroType, owner, name, nullAt, depth);
    if (t.kind === 'LIST') return [value(t.ofType as IntroType, owner, name, nullAt, depth)];
    const full = byName.get(t.name as string);
    if (t.kind === 'SCALAR') {
      const lit = SCALAR_LITERALS[t.name as string];
      if (!lit) throw new Error(`null-variants: no dummy for scalar ${t.name}; add one`);
      return JSON.parse(lit) as unknown;
    }
    if (t.kind === 'ENUM') return (full?.enumValues ?? [])[0].name;
    if (depth > 5) throw new Error(`null-variants: input ${t.name} nests too deep`);
    const out: Record<string, unknown> = {};
    for (const f of full?.inputFields ?? []) {
      const onPath = nullAt?.[0] === f.name;
      const sample = onPath ? undefined : samples(t.name as string, f.name);
      if (onPath) out[f.name] = value(f.type, t.name as string, f.name, nullAt.slice(1), depth + 1);
      else if (sample !== undefined) out[f.name] = sample;
      else if (!optional(f)) out[f.name] = value(f.type, t.name as string, f.name, undefined, depth + 1);
    }
    return out;
  };

  /** Paths of optional slots inside an argument: [] for the argument itself, [field, …] inside its inputs. */
  const slotsOf = (v: IntroInputValue, depth: number, seen: Set<string>): string[][] => {
    const out: string[][] = optional(v) && depth === 0 ? [[]] : [];
    const t = named(v.type);
    if (t.kind !== 'INPUT_OBJECT' || seen.has(t.name as string) || depth > 4) return out;
    for (const f of byName.get(t.name as string)?.inputFields ?? []) {
      if (optional(f)) out.push([f.name]);
      for (const inner of slotsOf(f, depth + 1, new Set([...seen, t.name as string])))
        if (inner.length) out.push([f.name, ...inner]);
    }
    return out;
  };

  /** Arguments of `field` (owner `Type.field`), with the slot `target` of argument `targetArg` set as asked. */
  const argList = (
    owner: string,
    field: IntroField,
    target?: { arg: string; path: string[]; mode: 'omit' | 'inline' | 'variable' },
  ): { text: string; decl?: string; variables: Record<string, unknown> } => {
    const parts: string[] = [];
    let decl: string | undefined;
    const variables: Record<string, unknown> = {};
    for (const a of field.args) {
      const isTarget = target?.arg === a.name;
      if (isTarget && target.mode === 'omit' && target.path.length === 0) continue;
      const sample = samples(owner, a.name);
      if (!isTarget && sample === undefined && optional(a)) continue;
      // the left-out twin is built like the null variants, then loses the slot
      let json = value(a.type, owner, a.name, isTarget ? target.path : undefined, 0);
      if (isTarget && target.mode === 'omit') json = withoutPath(json, target.path);
      if (isTarget && target.mode === 'variable') {
        // `$v: Int` for an `Int! = 20` argument: graphql-js accepts it (the position has a default)
        const declared = target.path.length === 0 && a.type.kind === 'NON_NULL' ? (a.type.ofType as IntroType) : a.type;
        decl = `($v: ${typeString(declared)})`;
        variables.v = json;
        parts.push(`${a.name}: $v`);
      } else parts.push(`${a.name}: ${literal(a.type, json)}`);
    }
    return { text: parts.length ? `(${parts.join(', ')})` : '', decl, variables };
  };

  const selection = (t: IntroType) => {
    const kind = named(t).kind;
    return kind === 'OBJECT' || kind === 'INTERFACE' || kind === 'UNION' ? ' { __typename }' : '';
  };

  /** Paths from a root field to fields with optional slots, shortest first (one path per Type.field). */
  interface Site {
    operation: NullCase['operation'];
    rootType: string;
    chain: { owner: string; field: IntroField }[];
  }
  const sites: Site[] = [];
  const reached = new Set<string>();
  const roots: [NullCase['operation'], string | undefined][] = [
    ['query', schema.queryType?.name],
    ['mutation', schema.mutationType?.name],
    ['subscription', schema.subscriptionType?.name],
  ];
  for (const [operation, typeName] of roots) {
    for (const f of (typeName && byName.get(typeName)?.fields) || [])
      sites.push({ operation, rootType: typeName as string, chain: [{ owner: `${typeName}.${f.name}`, field: f }] });
  }
  let frontier = sites.filter((s) => s.operation === 'query');
  for (let depth = 0; depth < 4; depth++) {
    const next: Site[] = [];
    for (const s of frontier) {
      const last = s.chain[s.chain.length - 1].field;
      const type = byName.get(named(last.type).name as string);
      for (const f of type?.fields ?? []) {
        const owner = `${type?.name}.${f.name}`;
        if (reached.has(owner)) continue;
        const site = { ...s, chain: [...s.chain, { owner, field: f }] };
        if (f.args.length) {
          reached.add(owner);
          sites.push(site);
        }
        if (named(f.type).kind === 'OBJECT') next.push(site);
      }
    }
    frontier = next;
  }

  const cases: NullCase[] = [];
  for (const site of sites) {
    const { owner, field } = site.chain[site.chain.length - 1];
    for (const a of field.args) {
      for (const path of slotsOf(a, 0, new Set())) {
        const build = (mode: 'omit' | 'inline' | 'variable'): Call => {
          let decl = '';
          let variables: Record<string, unknown> = {};
          const text = site.chain.map((link, i) => {
            const last = i === site.chain.length - 1;
            const args = argList(link.owner, link.field, last ? { arg: a.name, path, mode } : undefined);
            if (args.decl) decl = args.decl;
            if (last) variables = args.variables;
            return `${link.field.name}${args.text}`;
          });
          const tail = selection(field.type);
          const body = text.reduceRight(
            (inner, t, i) => (i === text.length - 1 ? `${t}${tail}` : `${t} { ${inner} }`),
            '',
          );
          return { query: `${site.operation}${decl} { ${body} }`, variables };
        };
        const slotType = path.length === 0 ? a.type : inputFieldType(a.type, path);
        cases.push({
          operation: site.operation,
          label: `${owner}(${[a.name, ...path].join('.')})`,
          nonNull: slotType.kind === 'NON_NULL',
          omitted: build('omit'),
          inline: build('inline'),
          variable: build('variable'),
          path: site.chain.map((l) => l.field.name),
        });
      }
    }
  }
  return cases;

  function inputFieldType(t: IntroType, path: string[]): IntroType {
    const f = (byName.get(named(t).name as string)?.inputFields ?? []).find((x) => x.name === path[0]);
    if (!f) throw new Error(`null-variants: no input field ${path[0]}`);
    return path.length === 1 ? f.type : inputFieldType(f.type, path.slice(1));
  }
}

/** A copy of an input value without the input field at `path` (through lists: in every element). */
function withoutPath(json: unknown, path: string[]): unknown {
  if (path.length === 0) return json;
  if (Array.isArray(json)) return json.map((j) => withoutPath(j, path));
  if (typeof json !== 'object' || json === null) return json;
  const out = { ...(json as Record<string, unknown>) };
  if (path.length === 1) delete out[path[0]];
  else out[path[0]] = withoutPath(out[path[0]], path.slice(1));
  return out;
}
