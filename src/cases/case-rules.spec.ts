import { allowedMoves, isLegalMove, isReopen, nextDue, priorityOf, priorityScore, slaClocks } from './case-rules';

const H = 3_600_000;
const policy = { triageMs: 24 * H, firstActionMs: 72 * H, closeMs: 30 * 24 * H };

describe('case rules', () => {
  it('moves forward one step, closes from any open state, reopens only to INVESTIGATING', () => {
    expect(isLegalMove('NEW', 'TRIAGED')).toBe(true);
    expect(isLegalMove('NEW', 'INVESTIGATING')).toBe(false);
    expect(isLegalMove('NEW', 'CLOSED_SOLVED')).toBe(false);
    expect(isLegalMove('SUSPECT_IDENTIFIED', 'CLOSED_SOLVED')).toBe(true);
    expect(isLegalMove('CLOSED_SOLVED', 'NEW')).toBe(false);
    expect(allowedMoves('TRANSFERRED')).toEqual(['INVESTIGATING']);
    expect(isReopen('CLOSED_UNSOLVED', 'INVESTIGATING')).toBe(true);
    expect(isReopen('SUSPECT_IDENTIFIED', 'INVESTIGATING')).toBe(false);
    for (const s of ['NEW', 'TRIAGED', 'INVESTIGATING', 'SUSPECT_IDENTIFIED'] as const)
      expect(isLegalMove(s, s)).toBe(false);
  });

  it('scores loss, an elderly victim, cluster size and growth', () => {
    const none = { lossFen: 0, elderlyVictim: false, largestCluster: 1, recentGrowth: 0 };
    expect(priorityOf(none)).toBe('LOW');
    expect(priorityScore({ ...none, lossFen: 999_99 })).toBe(0);
    expect(priorityScore({ ...none, lossFen: 1_000_00 })).toBe(1);
    expect(priorityScore({ ...none, lossFen: 100_000_000_00 })).toBe(4);
    expect(priorityOf({ ...none, lossFen: 10_000_00, elderlyVictim: true })).toBe('MEDIUM');
    expect(priorityOf({ lossFen: 100_000_00, elderlyVictim: true, largestCluster: 3, recentGrowth: 0 })).toBe('HIGH');
    expect(priorityOf({ lossFen: 1_000_000_00, elderlyVictim: true, largestCluster: 10, recentGrowth: 5 })).toBe(
      'CRITICAL',
    );
  });

  it('runs three SLA clocks from the opening; a clock met late stays breached', () => {
    const openedAt = new Date('2026-01-01T00:00:00Z');
    const at = (h: number) => new Date(openedAt.getTime() + h * H);
    let clocks = slaClocks({ openedAt }, policy, at(1));
    expect(clocks.map((c) => [c.name, c.overdue])).toEqual([
      ['TRIAGE', false],
      ['FIRST_ACTION', false],
      ['CLOSE', false],
    ]);
    clocks = slaClocks({ openedAt }, policy, at(25));
    expect(clocks[0]).toMatchObject({ overdue: true, breached: true });
    clocks = slaClocks({ openedAt, triagedAt: at(26) }, policy, at(27));
    expect(clocks[0]).toMatchObject({ overdue: false, breached: true });
    clocks = slaClocks({ openedAt, triagedAt: at(2) }, policy, at(27));
    expect(clocks[0]).toMatchObject({ overdue: false, breached: false });
  });

  it('takes the earliest pending deadline as the next due', () => {
    const openedAt = new Date('2026-01-01T00:00:00Z');
    expect(nextDue({ openedAt }, policy, [], false)?.getTime()).toBe(openedAt.getTime() + 24 * H);
    expect(nextDue({ openedAt, triagedAt: openedAt }, policy, [], false)?.getTime()).toBe(openedAt.getTime() + 72 * H);
    expect(nextDue({ openedAt }, policy, [new Date(openedAt.getTime() + H)], false)?.getTime()).toBe(
      openedAt.getTime() + H,
    );
    expect(nextDue({ openedAt }, policy, [], true)).toBeUndefined();
  });
});
