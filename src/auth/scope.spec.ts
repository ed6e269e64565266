import { AuthError, AuthErrorCode } from './auth.errors';
import { ALL_ROLES, hasAnyRole, Role } from './roles';
import { assertInScope, scopeAllows, scopeFilter, scopeFor } from './scope';

const principal = (roles: Role[], unitCodes: string[]) => ({ roles, unitCodes });

describe('scopeFor', () => {
  it('gives ADMIN every unit, whatever units the admin holds', () => {
    expect(scopeFor(principal([Role.ADMIN], []))).toEqual({ kind: 'ALL' });
    expect(scopeFor(principal([Role.INVESTIGATOR, Role.ADMIN], ['DG01']))).toEqual({ kind: 'ALL' });
  });

  it('gives investigators, outreach and supervisors their own units (deduplicated)', () => {
    expect(scopeFor(principal([Role.INVESTIGATOR], ['DG01']))).toEqual({ kind: 'UNITS', unitCodes: ['DG01'] });
    expect(scopeFor(principal([Role.OUTREACH], ['DG05']))).toEqual({ kind: 'UNITS', unitCodes: ['DG05'] });
    expect(scopeFor(principal([Role.SUPERVISOR], ['DG01', 'DG02', 'DG01']))).toEqual({
      kind: 'UNITS',
      unitCodes: ['DG01', 'DG02'],
    });
  });

  it('gives a user without units an empty scope that sees nothing', () => {
    const s = scopeFor(principal([Role.SUPERVISOR], []));
    expect(s).toEqual({ kind: 'UNITS', unitCodes: [] });
    expect(scopeAllows(s, ['DG01'])).toBe(false);
    expect(scopeAllows(s, [])).toBe(false);
  });

  it('is frozen: a repository cannot widen it', () => {
    const s = scopeFor(principal([Role.INVESTIGATOR], ['DG01']));
    expect(Object.isFrozen(s)).toBe(true);
    if (s.kind === 'UNITS') expect(Object.isFrozen(s.unitCodes)).toBe(true);
  });
});

describe('scopeAllows / assertInScope / scopeFilter', () => {
  const dg01 = scopeFor(principal([Role.INVESTIGATOR], ['DG01']));

  it('admits data of an own unit and refuses other units with OUT_OF_UNIT', () => {
    expect(scopeAllows(dg01, ['DG01'])).toBe(true);
    expect(scopeAllows(dg01, ['DG02', 'DG01'])).toBe(true);
    expect(scopeAllows(dg01, ['DG02'])).toBe(false);
    expect(() => assertInScope(dg01, ['DG01'], 'Report r1')).not.toThrow();
    try {
      assertInScope(dg01, ['DG02'], 'Report r1');
      throw new Error('expected OUT_OF_UNIT');
    } catch (e) {
      expect(e).toBeInstanceOf(AuthError);
      expect((e as AuthError).code).toBe(AuthErrorCode.OUT_OF_UNIT);
    }
    expect(scopeAllows({ kind: 'ALL' }, [])).toBe(true);
  });

  it('turns into a store filter', () => {
    expect(scopeFilter({ kind: 'ALL' }, 'unitCodes')).toEqual({});
    expect(scopeFilter(dg01, 'regionCode')).toEqual({ regionCode: { $in: ['DG01'] } });
  });
});

describe('hasAnyRole', () => {
  it('admits a holder of any listed role', () => {
    expect(hasAnyRole([Role.OUTREACH], [Role.INVESTIGATOR, Role.OUTREACH])).toBe(true);
    expect(hasAnyRole([Role.INVESTIGATOR, Role.SUPERVISOR], [Role.SUPERVISOR])).toBe(true);
  });

  it('refuses a user without any listed role, and a user without roles', () => {
    expect(hasAnyRole([Role.INVESTIGATOR], [Role.SUPERVISOR])).toBe(false);
    expect(hasAnyRole([Role.INVESTIGATOR, Role.OUTREACH, Role.SUPERVISOR], [Role.ADMIN])).toBe(false);
    expect(hasAnyRole([], [Role.INVESTIGATOR])).toBe(false);
    expect(hasAnyRole([], ALL_ROLES)).toBe(false);
  });

  it('lets ADMIN pass every check, even an empty list', () => {
    for (const r of ALL_ROLES) expect(hasAnyRole([Role.ADMIN], [r])).toBe(true);
    expect(hasAnyRole([Role.ADMIN], [])).toBe(true);
  });
});
