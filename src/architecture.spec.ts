import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The import rules between the top-level folders of src/ (the architecture map in the README), read from the
 * source: a folder may import another only one way, and common/ stays below every feature. Specs are left out
 * (they may reach across to test what they test); the files at the root of src/ (main, worker, cli, the app
 * module) are the wiring that imports everything, and nothing imports them but the entry points.
 */

/** Folders no feature-specific code lives in: common/ may import these and nothing else. */
const INFRASTRUCTURE = new Set(['common', 'config', 'database', 'redis', 'queue', 'metrics', 'store']);

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top-level folder of a src/ path; undefined for a file at the root of src/ or outside it. */
function folderOf(path: string): string | undefined {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

/** A relative import resolved to the file or folder it names (a folder with an index.ts counts as its folder). */
function target(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  if (existsSync(base) && statSync(base).isDirectory()) return join(base, 'index.ts');
  return base;
}

/** folder -> folder -> the imports (file: specifier) behind that edge. */
export function folderImports(files = sourceFiles(SRC)): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of files) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = graph.get(from) ?? graph.set(from, new Map()).get(from)!;
    for (const { fileName } of preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(target(file, fileName));
      if (!to || to === from) continue;
      const why = edges.get(to) ?? edges.set(to, []).get(to)!;
      why.push(`${relative(SRC, file)}: ${fileName}`);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan): each is an import cycle. */
export function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The imports behind a cycle, to say in the failure which lines close it. */
function explain(graph: Map<string, Map<string, string[]>>, component: string[]): string[] {
  const inside = new Set(component);
  return component.flatMap((from) =>
    [...(graph.get(from) ?? new Map<string, string[]>())]
      .filter(([to]) => inside.has(to))
      .map(([to, why]) => `${from} -> ${to} (${why[0]}${why.length > 1 ? ` and ${why.length - 1} more` : ''})`),
  );
}

describe('architecture: imports between the folders of src/', () => {
  const graph = folderImports();

  it('reads the real source (the known edges are there)', () => {
    expect(graph.get('linking')?.has('reports')).toBe(true);
    expect(graph.get('imports')?.has('linking')).toBe(true);
    expect(graph.get('sessions')?.has('users')).toBe(true);
  });

  it('has no import cycle between folders', () => {
    expect(cycles(graph).map((c) => explain(graph, c))).toEqual([]);
  });

  it('keeps common/ free of feature folders', () => {
    const wrong = [...(graph.get('common') ?? new Map<string, string[]>())].filter(([to]) => !INFRASTRUCTURE.has(to));
    expect(wrong.map(([to, why]) => `common -> ${to}: ${why.join(', ')}`)).toEqual([]);
  });

  it('finds a cycle when there is one, and none in a chain', () => {
    const g = new Map([
      ['a', new Map([['b', ['a/x.ts: ../b/y']]])],
      ['b', new Map([['c', ['b/y.ts: ../c/z']]])],
      ['c', new Map([['a', ['c/z.ts: ../a/x']]])],
      ['d', new Map([['a', ['d/w.ts: ../a/x']]])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', new Map([['b', ['']]])]]))).toEqual([]);
  });
});
