/**
 * `npx siqian generate --reports N --seed S > FILE.jsonl`: realistic synthetic reports (one SubmitReportInput
 * per line, with a clientRequestId so that importing the file twice adds nothing). Deterministic for a seed.
 */
import type { Command } from 'commander';
import { once } from 'node:events';
import { generateReports, generateYoyReports } from '../imports/synthetic';

export function register(program: Command): void {
  program
    .command('generate')
    .description(
      'write synthetic reports as JSON lines to stdout (fraud rings with Zipf-like reuse, near misses, hubs, warninglisted values)',
    )
    .requiredOption('--reports <n>', 'how many reports', (v) => Number.parseInt(v, 10))
    .option('--seed <s>', 'PRNG seed', (v) => Number.parseInt(v, 10), 1)
    .option(
      '--scenario <name>',
      'default: two years of reports; yoy: the same over the 33 regions with reports down 35.8% year on year',
      'default',
    )
    .action(async (options: { reports: number; seed: number; scenario: string }) => {
      if (!Number.isSafeInteger(options.reports) || options.reports < 0)
        throw new Error('--reports must be a whole number');
      if (options.scenario !== 'default' && options.scenario !== 'yoy')
        throw new Error('--scenario must be default or yoy');
      const generate = options.scenario === 'yoy' ? generateYoyReports : generateReports;
      for (const r of generate({ reports: options.reports, seed: options.seed })) {
        if (!process.stdout.write(`${JSON.stringify(r)}\n`)) await once(process.stdout, 'drain');
      }
    });
}
