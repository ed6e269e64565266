/**
 * `npx siqian reindex [reports|clusters|hubs|audit|users|cases ...]`: drops the staff list indexes (src/store/list-index.ts)
 * and builds them again from the records (all of them by default), as after losing Redis without persistence.
 * `--verify` changes nothing: it builds each list from the records into a scratch copy, compares them key by key
 * (printing the first 50 missing and extra entries of each) and exits 1 on any difference.
 */
import type { Command } from 'commander';
import { prepareRuntime } from '../bootstrap';

const LISTS = ['reports', 'clusters', 'hubs', 'audit', 'users', 'cases'] as const;

export function register(program: Command): void {
  program
    .command('reindex')
    .description(
      'rebuild the staff list indexes (reports, clusters, hubs, audit, users, cases) from the records; --verify compares',
    )
    .argument('[lists...]', `which lists (${LISTS.join(', ')}; default all)`)
    .option('--verify', 'compare each list with one built from the records; change nothing; exit 1 on a difference')
    .action(async (lists: string[], options: { verify?: boolean }) => {
      const wanted = lists.length ? lists : [...LISTS];
      const unknown = wanted.filter((l) => !(LISTS as readonly string[]).includes(l));
      if (unknown.length) throw new Error(`unknown list ${unknown.join(', ')} (one of ${LISTS.join(', ')})`);
      const { cfg } = await prepareRuntime();
      const { NestFactory } = await import('@nestjs/core');
      const { AppModule } = await import('../app.module');
      const { ReportLists } = await import('../reports/report-lists.service');
      const { ClusterLists } = await import('../linking/cluster-lists');
      const { AuditLists } = await import('../audit/audit-lists');
      const { UserLists } = await import('../users/user-lists');
      const { CaseLists } = await import('../cases/case-lists');
      const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
        logger: ['error', 'warn'],
      });
      try {
        const builds = {
          reports: () => app.get(ReportLists).builds,
          clusters: () => app.get(ClusterLists).builds,
          hubs: () => app.get(ClusterLists).hubBuilds,
          audit: () => app.get(AuditLists).builds,
          users: () => app.get(UserLists).builds,
          cases: () => app.get(CaseLists).builds,
        } as const;
        for (const l of wanted as (typeof LISTS)[number][]) {
          if (options.verify) {
            const r = await builds[l]().verify();
            for (const m of r.missing.slice(0, 50)) process.stdout.write(`missing ${l} ${m}\n`);
            for (const m of r.extra.slice(0, 50)) process.stdout.write(`extra ${l} ${m}\n`);
            process.stdout.write(
              `reindex --verify ${l}: ${r.records} records, ${r.keys} keys; ${r.missing.length} entries missing, ${r.extra.length} extra\n`,
            );
            if (r.missing.length || r.extra.length) process.exitCode = 1;
            continue;
          }
          const started = Date.now();
          const n = await builds[l]().rebuild();
          process.stdout.write(`reindex ${l}: ${n} records in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        }
      } finally {
        await app.close();
      }
    });
}
