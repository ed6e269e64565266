/**
 * `npx siqian stats --from D --to D [--group-by A,B] [--compare-to C] [--regions ..] [--fraud-types ..]
 * [--channels ..]`: the `stats` query (as ADMIN: every region) printed as the table of `GET /stats.csv`.
 * `npx siqian stats rebuild [--verify]`: rebuilds the rollups from the reports with a progress bar; `--verify`
 * changes nothing, prints every difference between the rollups and the reports, exits 1 if there is one.
 */
import type { Command } from 'commander';
import { prepareRuntime } from '../bootstrap';
import type { StatsComparison, StatsDimension } from '../stats/stats.enums';
import type { StatsInput } from '../stats/stats.input';

const list = (v: string | undefined): string[] | undefined =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

async function withApp<T>(fn: (app: import('@nestjs/common').INestApplicationContext) => Promise<T>): Promise<T> {
  const { cfg } = await prepareRuntime();
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../app.module');
  const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
    logger: ['error', 'warn'],
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function progressBar(enabled: boolean, label: string) {
  let bar: import('cli-progress').SingleBar | undefined;
  return {
    async update(done: number, total: number) {
      if (!enabled || !process.stderr.isTTY) return;
      if (!bar) {
        const cliProgress = await import('cli-progress');
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted}`, fps: 5 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, done, 1), done);
      }
      bar.setTotal(Math.max(total, done, 1));
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

export function register(program: Command): void {
  const stats = program
    .command('stats')
    .description('print report statistics (the table of GET /stats.csv); `stats rebuild [--verify]` rebuilds them')
    .option('--from <day>', 'first day, YYYY-MM-DD (Asia/Shanghai)')
    .option('--to <day>', 'last day, YYYY-MM-DD (Asia/Shanghai)')
    .option('--group-by <dims>', 'up to two of FRAUD_TYPE,REGION,CHANNEL,PAYMENT_METHOD,AGE_BAND,MONTH,WEEK,DAY')
    .option('--compare-to <c>', 'PREVIOUS_PERIOD or SAME_PERIOD_LAST_YEAR')
    .option('--regions <codes>', 'only these regions (comma-separated)')
    .option('--fraud-types <types>', 'only these fraud types')
    .option('--channels <channels>', 'only these channels')
    .option('--csv', 'print CSV (UTF-8 with BOM) instead of aligned columns')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const str = (k: string) => (typeof o[k] === 'string' ? o[k] : undefined);
      const input: StatsInput = {
        from: str('from') ?? '',
        to: str('to') ?? '',
        groupBy: list(str('groupBy')) as StatsDimension[] | undefined,
        compareTo: str('compareTo') as StatsComparison | undefined,
        regionCodes: list(str('regions')),
        fraudTypes: list(str('fraudTypes')) as StatsInput['fraudTypes'],
        channels: list(str('channels')) as StatsInput['channels'],
      };
      const { StatsQueryService } = await import('../stats/stats-query.service');
      const { statsTable, toCsv, toText } = await import('../stats/stats-table');
      const { ALL_UNITS } = await import('../auth/scope');
      await withApp(async (app) => {
        const result = await app.get(StatsQueryService).stats(input, ALL_UNITS);
        const table = statsTable(result);
        process.stdout.write(o.csv ? toCsv(table) : `${result.from} .. ${result.to}\n${toText(table)}\n`);
      });
    });
  stats
    .command('rebuild')
    .description('rebuild the rollups from the reports; --verify only compares and exits 1 on any difference')
    .option('--verify', 'compare the rollups with a computation from the reports; change nothing')
    .option('--no-progress', 'no progress bar')
    .action(async (options: { verify?: boolean; progress: boolean }) => {
      const { StatsRebuildService } = await import('../stats/stats-rebuild.service');
      const bar = progressBar(options.progress, options.verify ? 'verify' : 'rebuild');
      const onProgress = (done: number, total: number) => void bar.update(done, total);
      await withApp(async (app) => {
        const service = app.get(StatsRebuildService);
        if (options.verify) {
          const v = await service.verify(onProgress);
          bar.stop();
          const lines = [
            `stats verify: ${v.reports} reports, ${v.documents} rollup documents — ${v.ok ? 'no difference' : 'DIFFERENCES FOUND'}`,
            ...v.differences.map((d) => `  - ${d}`),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
          if (!v.ok) process.exitCode = 1;
        } else {
          const r = await service.rebuild(onProgress);
          bar.stop();
          process.stdout.write(
            `stats rebuild: ${r.reports} reports into generation ${r.generation} in ${r.seconds.toFixed(1)} s\n`,
          );
        }
      });
    });
}
