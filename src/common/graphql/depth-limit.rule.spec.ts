import { buildSchema, parse, validate } from 'graphql';
import { depthLimitRule } from './depth-limit.rule';

const schema = buildSchema(`
  type Node { id: ID! child: Node name: String }
  type Query { node: Node }
`);

const depthErrors = (query: string, max: number) =>
  validate(schema, parse(query), [depthLimitRule(max)]).map((e) => e.extensions);

describe('depthLimitRule', () => {
  const nested = (levels: number) =>
    `{ ${'node { '.repeat(1)}${'child { '.repeat(levels - 2)}id${' }'.repeat(levels - 1)} }`;

  it('allows an operation at the limit and refuses one level more', () => {
    expect(depthErrors(nested(5), 5)).toEqual([]);
    expect(depthErrors(nested(6), 5)).toEqual([{ code: 'QUERY_TOO_COMPLEX', depth: 6, maxDepth: 5 }]);
  });

  it('follows named and inline fragments', () => {
    const q = `{ node { ...A } } fragment A on Node { child { ... on Node { child { ...B } } } } fragment B on Node { child { id } }`;
    expect(depthErrors(q, 5)).toEqual([]);
    expect(depthErrors(q, 4)).toEqual([{ code: 'QUERY_TOO_COMPLEX', depth: 5, maxDepth: 4 }]);
  });

  it('survives fragment cycles (reported by graphql-js itself)', () => {
    const q = `{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }`;
    expect(() => depthErrors(q, 3)).not.toThrow();
  });

  it('exempts introspection', () => {
    const q = `{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`;
    expect(depthErrors(q, 2)).toEqual([]);
  });
});
