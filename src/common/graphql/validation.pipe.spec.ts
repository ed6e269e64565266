import { withoutNulls } from './validation.pipe';

describe('withoutNulls: an explicit null means "left out"', () => {
  it('drops null fields at every depth, in list items too, and keeps other values as they are', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    const inline = Object.assign(Object.create(null) as object, { kind: null, value: 'x' });
    expect(
      withoutNulls({ after: null, first: 0, filter: { clusterId: null, since: when }, ids: [inline, { a: false }] }),
    ).toEqual({ first: 0, filter: { since: when }, ids: [{ value: 'x' }, { a: false }] });
    expect(withoutNulls(null)).toBeUndefined();
    expect(withoutNulls('')).toBe('');
  });
});
