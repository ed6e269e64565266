/**
 * Every argument and input field ("slot") reachable from the schema's operations (root fields, and fields of
 * the types they return up to three levels down), with a way to build a call that sets just that slot to a
 * given value — written in the document or passed as a variable — or leaves it out. The null sweep
 * (test/null-arguments) sets optional slots to null; the string fuzz (test/input-rules) sets string slots to
 * hostile strings. A field added later is swept too.
 */
import { IntroField, IntroInputValue, IntroSchema, IntroType, SCALAR_LITERALS } from './schema-calls';

export interface Call {
  query: string;
  variables: Record<string, unknown>;
}

export interface Slot {
  operation: 'query' | 'mutation' | 'subscription';
  /** e.g. `Query.reports(after)`, `Mutation.submitReport(input.narrative)`, `Cluster.reports(first)` */
  label: string;
  /** The slot's type (`String!`, `[Role!]`, …) and whether leaving it out is allowed. */
  type: string;
  optional: boolean;
  /** The call with the slot left out (optional slots only), or set to `value` inline / as a variable. */
  call(mode: 'omit' | 'inline' | 'variable', value?: unknown): Call;
  /** Response path (field names) to the field that holds the slot. */
  path: string[];
}

export interface NullCase {
  operation: Slot['operation'];
  label: string;
  /** The slot is `T!` with a default: a null there is the client's error, not "left out". */
  nonNull: boolean;
  omitted: Call;
  inline: Call;
  variable: Call;
  path: string[];
}

/** Every optional slot, left out and set to an explicit null. */
export function nullCases(schema: IntroSchema, samples: Samples): NullCase[] {
  return schemaSlots(schema, samples)
    .filter((s) => s.optional)
    .map((s) => ({
      operation: s.operation,
      label: s.label,
      nonNull: s.type.endsWith('!'),
      omitted: s.call('omit'),
      inline: s.call('inline', null),
      variable: s.call('variable', null),
      path: s.path,
    }));
}

/**
 * Values the walker cannot invent (ids of existing objects, well-formed e-mails). `owner` is `Query.lookup`
 * for an argument of a field, or the input type name for an input field. A sample given for an OPTIONAL slot
 * makes it present in every call (e.g. one root of caseGraph). Called once per built call, so a sample may
 * be fresh each time (a new e-mail).
 */
export type Samples = (owner: string, name: string) => unknown;

interface Setting {
  path: string[];
  value: unknown;
}

/** What this API's operations need to succeed: ids of a seeded user, cluster and report, a staff password. */
export interface Seeded {
  userId: string;
  clusterId: string;
  reportId: string;
  password: string;
  /** Makes every e-mail of createUser new (a run-unique tag). */
  emailTag: string;
}

/** Samples for this API (the slots the walker cannot fill with a dummy and still be answered). */
export function apiSamples(seeded: Seeded): Samples {
  let seq = 0;
  return (owner, name) => {
    switch (`${owner}.${name}`) {
      case 'Query.cluster.id':
      case 'GraphRootInput.clusterId':
        return seeded.clusterId;
      case 'Query.report.id':
        return seeded.reportId;
      case 'Query.lookup.value':
      case 'IdentifierInput.value':
        return '13912345678';
      case 'CreateUserInput.email':
        return `walk-${seeded.emailTag}-${++seq}@siqian.test`;
      case 'CreateUserInput.password':
        return seeded.password;
      case 'CreateUserInput.roles':
      case 'SetUserRolesInput.roles':
        return ['INVESTIGATOR'];
      case 'CreateUserInput.unitCodes':
      case 'SetUserUnitsInput.unitCodes':
        return ['DG01'];
      case 'SetUserRolesInput.userId':
      case 'SetUserUnitsInput.userId':
      case 'UserStatusInput.userId':
        return seeded.userId;
      case 'SubmitReportInput.regionCode':
        return 'DG01';
      case 'SubmitReportInput.occurredAt':
        return new Date(Date.now() - 86_400_000).toISOString();
      case 'SubmitReportInput.identifiers':
        return [{ value: '13912345678' }];
      default:
        return undefined;
    }
  };
}

const named = (t: IntroType): IntroType => (t.ofType ? named(t.ofType) : t);
const optional = (v: IntroInputValue) => v.type.kind !== 'NON_NULL' || v.defaultValue !== null;
const typeString = (t: IntroType): string =>
  t.kind === 'NON_NULL'
    ? `${typeString(t.ofType as IntroType)}!`
    : t.kind === 'LIST'
      ? `[${typeString(t.ofType as IntroType)}]`
      : (t.name as string);

export function schemaSlots(schema: IntroSchema, samples: Samples): Slot[] {
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

  /** A JSON value of type t: the sample, or a dummy; the input field at `set.path` is set to `set.value`. */
  const value = (t: IntroType, owner: string, name: string, set: Setting | undefined, depth: number): unknown => {
    if (set && set.path.length === 0) return set.value;
    if (!set) {
      const s = samples(owner, name);
      if (s !== undefined) return s;
    }
    if (t.kind === 'NON_NULL') return value(t.ofType as IntroType, owner, name, set, depth);
    if (t.kind === 'LIST') return [value(t.ofType as IntroType, owner, name, set, depth)];
    const full = byName.get(t.name as string);
    if (t.kind === 'SCALAR') {
      const lit = SCALAR_LITERALS[t.name as string];
      if (!lit) throw new Error(`schema-slots: no dummy for scalar ${t.name}; add one`);
      return JSON.parse(lit) as unknown;
    }
    if (t.kind === 'ENUM') return (full?.enumValues ?? [])[0].name;
    if (depth > 5) throw new Error(`schema-slots: input ${t.name} nests too deep`);
    const out: Record<string, unknown> = {};
    for (const f of full?.inputFields ?? []) {
      const onPath = set?.path[0] === f.name;
      const sample = onPath ? undefined : samples(t.name as string, f.name);
      if (onPath) out[f.name] = value(f.type, t.name as string, f.name, { ...set, path: set.path.slice(1) }, depth + 1);
      else if (sample !== undefined) out[f.name] = sample;
      else if (!optional(f)) out[f.name] = value(f.type, t.name as string, f.name, undefined, depth + 1);
    }
    return out;
  };

  /** Slots inside an argument: [] for the argument itself, [field, …] for its input fields. */
  const slotsOf = (v: IntroInputValue, depth: number, seen: Set<string>): string[][] => {
    const out: string[][] = depth === 0 ? [[]] : [];
    const t = named(v.type);
    if (t.kind !== 'INPUT_OBJECT' || seen.has(t.name as string) || depth > 4) return out;
    for (const f of byName.get(t.name as string)?.inputFields ?? []) {
      out.push([f.name]);
      for (const inner of slotsOf(f, depth + 1, new Set([...seen, t.name as string])))
        if (inner.length) out.push([f.name, ...inner]);
    }
    return out;
  };

  /** Arguments of `field` (owner `Type.field`), with the slot `target` of argument `targetArg` set as asked. */
  const argList = (
    owner: string,
    field: IntroField,
    target?: { arg: string; mode: 'omit' | 'inline' | 'variable' } & Setting,
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
      let json = value(a.type, owner, a.name, isTarget ? target : undefined, 0);
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

  /** Paths from a root field to fields with arguments, shortest first (one path per Type.field). */
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

  const out: Slot[] = [];
  for (const site of sites) {
    const { owner, field } = site.chain[site.chain.length - 1];
    for (const a of field.args) {
      for (const path of slotsOf(a, 0, new Set())) {
        const call = (mode: 'omit' | 'inline' | 'variable', v?: unknown): Call => {
          let decl = '';
          let variables: Record<string, unknown> = {};
          const text = site.chain.map((link, i) => {
            const last = i === site.chain.length - 1;
            const args = argList(link.owner, link.field, last ? { arg: a.name, path, mode, value: v } : undefined);
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
        const slot = path.length === 0 ? a : inputField(a.type, path);
        out.push({
          operation: site.operation,
          label: `${owner}(${[a.name, ...path].join('.')})`,
          type: typeString(slot.type),
          optional: optional(slot),
          call,
          path: site.chain.map((l) => l.field.name),
        });
      }
    }
  }
  return out;

  function inputField(t: IntroType, path: string[]): IntroInputValue {
    const f = (byName.get(named(t).name as string)?.inputFields ?? []).find((x) => x.name === path[0]);
    if (!f) throw new Error(`schema-slots: no input field ${path[0]}`);
    return path.length === 1 ? f : inputField(f.type, path.slice(1));
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
