import { Injectable, Logger } from '@nestjs/common';
import { ImportCounts } from './import-counts';
import { IMPORT_LINK_HOLD, ImportLinker } from './import-linker.service';
import { DeadRun, ImportedReportsService } from './imported-reports.service';
import { LinkSpool, linkableOf } from './link-spool';

/** A dead import run that was recovered. */
export interface RecoveredRun {
  run: string;
  source: string;
  file: string;
  /** its reports found in the store */
  reports: number;
  /** of which counted into the statistics now (the rounds it had not finished) */
  counted: number;
}

/**
 * Recovery of import runs that died (killed, crashed, or stopped by an error) before they were DONE: every
 * `siqian import` runs it first. A run is dead when it is not DONE and its Redis lease lapsed (at most a minute
 * after its process stopped; at once after an error, which releases it); taking its lease over makes the
 * recovery exclusive. Its reports are found by their `importRun` (a full scan), the rounds it had not recorded
 * as counted are applied again (ImportCounter skips what they already reached), and all its reports are linked
 * (linking a linked report is a no-op). Then the run is DONE.
 */
@Injectable()
export class ImportRecovery {
  private readonly logger = new Logger(ImportRecovery.name);

  constructor(
    private readonly reports: ImportedReportsService,
    private readonly linker: ImportLinker,
  ) {}

  async recoverDeadRuns(): Promise<RecoveredRun[]> {
    const recovered: RecoveredRun[] = [];
    for (const dead of await this.reports.deadRuns()) {
      try {
        recovered.push(await this.recover(dead));
      } finally {
        await dead.lease.releaseQuietly();
      }
    }
    return recovered;
  }

  private async recover(dead: DeadRun): Promise<RecoveredRun> {
    const run = dead.record;
    const rounds = new Map<number, ImportCounts>();
    const spool = new LinkSpool();
    try {
      const now = new Date();
      let reports = 0;
      let batch: ReturnType<typeof linkableOf>[] = [];
      for await (const doc of this.reports.reportsOf(run._id)) {
        reports++;
        const round = doc.importRound ?? 0;
        if (round > run.rounds) {
          const counts = rounds.get(round) ?? new ImportCounts();
          counts.add(doc, now);
          rounds.set(round, counts);
        }
        batch.push(linkableOf(doc));
        if (batch.length >= 1_000) {
          await this.reports.listAgain(batch);
          await spool.add(
            batch.map((r) => r._id),
            batch,
            true,
          );
          batch = [];
        }
      }
      await this.reports.listAgain(batch);
      await spool.add(
        batch.map((r) => r._id),
        batch,
        true,
      );
      let counted = run.counted;
      for (const round of [...rounds.keys()].sort((a, b) => a - b)) {
        const counts = rounds.get(round) as ImportCounts;
        counted += counts.reports;
        await this.reports.recount(dead, round, counts, counted);
      }
      await this.reports.setState(run._id, 'LINKING');
      if (spool.size > 0) await this.linker.link(() => spool.holds(IMPORT_LINK_HOLD), spool.size, run.source);
      await this.reports.setState(run._id, 'DONE');
      const out = { run: run._id, source: run.source, file: run.file, reports, counted: counted - run.counted };
      this.logger.warn(out, 'recovered a dead import run');
      return out;
    } finally {
      spool.dispose();
    }
  }
}
