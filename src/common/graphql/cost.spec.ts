import { GraphQLInt, GraphQLObjectType } from 'graphql';
import { connectionCost, SCAN_COST } from './cost';

const at = (args: Record<string, unknown>, childComplexity: number) =>
  ({
    args,
    childComplexity,
    type: new GraphQLObjectType({ name: 'T', fields: { n: { type: GraphQLInt } } }),
    field: {},
  }) as never;

describe('connectionCost', () => {
  it('costs a page of its selection, plus SCAN_COST whatever the page when the resolver scans', () => {
    expect(connectionCost(20, false)(at({ first: 1 }, 1))).toBe(2);
    expect(connectionCost(20, true)(at({ first: 1 }, 1))).toBe(2 + SCAN_COST);
    expect(connectionCost(20, true)(at({}, 3))).toBe(1 + 20 * 3 + SCAN_COST);
    // an explicit null means the default page
    expect(connectionCost(50, false)(at({ first: null }, 2))).toBe(101);
  });

  it('lets a field scan for some arguments only (reports: filter.clusterId reads member pages by primary key)', () => {
    const cost = connectionCost(20, (args) => !(args.filter as { clusterId?: string } | undefined)?.clusterId);
    expect(cost(at({ first: 1, filter: { clusterId: 'cl_1' } }, 1))).toBe(2);
    expect(cost(at({ first: 1, filter: { source: 'PUBLIC' } }, 1))).toBe(2 + SCAN_COST);
  });
});
