/**
 * `npx siqian recluster [--verify]`: rebuilds the clusters from the stored edges (link documents' identifiers,
 * detaches and explicit links, investigators' policies, the current warninglist; reports never linked are
 * linked), holding the linking lock, with a progress bar on stderr. `--verify` changes nothing: it compares
 * the stored assignment with the from-scratch reference (verifyStore) and the deep invariants, prints every
 * difference and exits 1 if there is any (0 when none). Boots a Nest application context like src/worker.ts.
 */
import type { Command } from 'commander';
import { prepareRuntime } from '../bootstrap';
import type { ReclusterOutcome, ReclusterPhase, VerifyOutcome } from '../linking/recluster.service';

export function formatVerify(v: VerifyOutcome, maxListed = 50): string {
  const lines = [
    `verify: ${v.reportCount} reports in ${v.clusterCount} clusters — ${v.ok ? 'no difference' : 'DIFFERENCES FOUND'}`,
    `  partition differences: ${v.differences.length}`,
    `  invariant violations:  ${v.violations.length}`,
    `  unlinked reports:      ${v.unlinked.length}`,
    `  hub registry:          ${v.hubMismatches.length}`,
    `  policies:              ${v.policyMismatches.length}`,
  ];
  for (const d of v.differences.slice(0, maxListed)) lines.push(`  - ${JSON.stringify(d)}`);
  for (const d of v.violations.slice(0, maxListed)) lines.push(`  - invariant: ${d}`);
  for (const d of v.unlinked.slice(0, maxListed)) lines.push(`  - unlinked report: ${d}`);
  for (const d of v.hubMismatches.slice(0, maxListed)) lines.push(`  - hub: ${d}`);
  for (const d of v.policyMismatches.slice(0, maxListed)) lines.push(`  - policy: ${d}`);
  return lines.join('\n');
}

export function formatRecluster(r: ReclusterOutcome): string {
  return [
    `recluster: ${r.reports} reports (${r.newlyLinked} newly linked) in ${r.seconds.toFixed(1)} s`,
    `  clusters: ${r.clusters}, of which ${r.multiReportClusters} with more than one report`,
    `  largest:  ${r.largest.join(', ') || '-'}`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('recluster')
    .description('rebuild clusters from the stored edges; --verify only compares and exits 1 on any difference')
    .option('--verify', 'compare the stored clusters with a from-scratch computation; change nothing')
    .option('--no-progress', 'no progress bar')
    .action(async (options: { verify?: boolean; progress: boolean }) => {
      const { cfg } = await prepareRuntime();
      const { NestFactory } = await import('@nestjs/core');
      const { AppModule } = await import('../app.module');
      const { ReclusterService } = await import('../linking/recluster.service');
      const cliProgress = await import('cli-progress');
      const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
        logger: ['error', 'warn'],
      });
      let code = 0;
      try {
        const bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: '{phase} [{bar}] {value}/{total} | ETA {eta_formatted}',
            fps: 5,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        let phase: ReclusterPhase | undefined;
        const onProgress = (p: ReclusterPhase, done: number, total: number) => {
          if (!options.progress || !process.stderr.isTTY) return;
          if (!started) {
            bar.start(Math.max(total, done, 1), done, { phase: p.padEnd(5) });
            started = true;
          }
          if (p !== phase) {
            phase = p;
            bar.setTotal(Math.max(total, done, 1));
          }
          bar.update(done, { phase: p.padEnd(5) });
        };
        const service = app.get(ReclusterService);
        if (options.verify) {
          const v = await service.verify(onProgress);
          if (started) bar.stop();
          process.stdout.write(`${formatVerify(v)}\n`);
          code = v.ok ? 0 : 1;
        } else {
          const r = await service.recluster(onProgress);
          if (started) bar.stop();
          process.stdout.write(`${formatRecluster(r)}\n`);
        }
      } finally {
        await app.close();
      }
      if (code !== 0) process.exitCode = code;
    });
}
