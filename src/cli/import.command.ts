/**
 * `npx siqian import --format <ftc-dnc|tw165|etherscamdb|jsonl> FILE`: bulk import with a progress bar on
 * stderr (rate and ETA), a final summary, and the rejected rows with their line numbers and reasons.
 * Boots a Nest application context (no HTTP, no queue workers) on the running embedded stores (DATA_DIR) or
 * MONGODB_URI / REDIS_URL, like src/worker.ts.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepareRuntime } from '../bootstrap';
import { NOTICE_TEXT, type IdentifierNotice } from '../identifiers';
import { IMPORT_FORMATS, ImportFormat, ImportSummary } from '../imports/import.service';

export function formatSummary(s: ImportSummary, maxListed = 50): string {
  const lines = [
    `${s.format} ${s.file}: ${s.read} records in ${s.seconds.toFixed(1)} s (${Math.round(s.read / Math.max(s.seconds, 1e-9))} records/s)`,
    `  imported:        ${s.imported}`,
    `  already present: ${s.alreadyPresent}`,
    `  duplicate id, different content: ${s.duplicateIdDifferentContent} (of the two above; each kept as a report of its own)`,
    `  rejected:        ${s.rejectedCount}`,
    `  indexed:         ${s.indexed}`,
    `  region:          ${s.regionCode}`,
  ];
  for (const r of s.recovered)
    lines.push(
      `recovered import run ${r.run} (${r.source} ${r.file}, stopped before its end): ` +
        `${r.reports} reports found, ${r.counted} counted now, all linked`,
    );
  for (const [notice, count] of Object.entries(s.notices) as [IdentifierNotice, number][])
    lines.push(`kept with a note (${notice}), ${count} records: ${NOTICE_TEXT[notice].en}`);
  if (s.rejectedCount > 0) {
    lines.push('rejected rows (line: reason):');
    for (const r of s.rejected.slice(0, maxListed)) lines.push(`  ${r.line}: ${r.reason}`);
    if (s.rejectedCount > maxListed)
      lines.push(`  ... ${s.rejectedCount - maxListed} more (use --all-rejected to list every one)`);
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'bulk-import reports from a partner file; re-running imports nothing twice (a report is keyed on its source id and content)',
    )
    .addOption(new Option('--format <format>', 'file format').choices([...IMPORT_FORMATS]).makeOptionMandatory())
    .option(
      '--region <code>',
      'file the reports under this region code (query regions; default EXTERNAL; not for jsonl)',
    )
    .option('--batch <n>', 'reports per insert batch', (v) => Number.parseInt(v, 10), 1000)
    .option('--all-rejected', 'list every rejected row (default: the first 50)')
    .option('--no-progress', 'no progress bar')
    .argument('<file>', 'the file to import')
    .action(
      async (
        file: string,
        options: { format: ImportFormat; batch: number; region?: string; allRejected?: boolean; progress: boolean },
      ) => {
        const path = resolve(file);
        if (!existsSync(path)) throw new Error(`no such file: ${path}`);
        const { cfg } = await prepareRuntime();
        const { NestFactory } = await import('@nestjs/core');
        const { AppModule } = await import('../app.module');
        const { ImportService } = await import('../imports/import.service');
        const cliProgress = await import('cli-progress');
        const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
          logger: ['error', 'warn'],
        });
        try {
          const bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: '{phase} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
              etaBuffer: 50,
              fps: 5,
            },
            cliProgress.Presets.shades_classic,
          );
          const started = Date.now();
          let barStarted = false;
          const summary = await app.get(ImportService).run(options.format, path, {
            batchSize: options.batch,
            regionCode: options.region,
            onProgress: (p) => {
              if (!options.progress || !process.stderr.isTTY) return;
              const done = p.phase === 'insert' ? p.rows : p.phase === 'link' ? p.linked : p.indexed;
              const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
              if (!barStarted) {
                bar.start(p.totalBytes, 0, { phase: 'import', rows: 0, rate: 0 });
                barStarted = true;
              }
              if (p.phase === 'insert') bar.update(p.bytes, { phase: 'import', rows: p.rows, rate });
              else if (p.phase === 'link') bar.update(p.totalBytes, { phase: 'link  ', rows: p.linked, rate });
              else bar.update(p.totalBytes, { phase: 'index ', rows: p.indexed, rate });
            },
          });
          if (barStarted) bar.stop();
          process.stdout.write(`${formatSummary(summary, options.allRejected ? Infinity : 50)}\n`);
        } finally {
          await app.close();
        }
      },
    );
}
