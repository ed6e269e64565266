import 'reflect-metadata';
import { Command } from 'commander';
import { register as registerExtract } from './cli/extract.command';
import { register as registerRecluster } from './cli/recluster.command';
import { register as registerGenerate } from './cli/generate.command';
import { register as registerImport } from './cli/import.command';
import { register as registerStats } from './cli/stats.command';
import { register as registerReindex } from './cli/reindex.command';
import { PROJECT_ROOT } from './config/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npx siqian <command>`: the command line of ../shared/API.md. Commands that need the stores find the
 * running embedded stores through DATA_DIR (or use MONGODB_URI / REDIS_URL), like a second API process.
 */
function main(): void {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const program = new Command('siqian')
    .description('四千 siqian: anti-telecom-fraud reporting, linking, case tracking and prevention alerts')
    .version(version)
    .showHelpAfterError()
    .exitOverride((err) => process.exit(err.exitCode));
  registerExtract(program);
  registerRecluster(program);
  registerImport(program);
  registerGenerate(program);
  registerStats(program);
  registerReindex(program);
  program.parseAsync(process.argv).catch((e: unknown) => {
    process.stderr.write(`siqian: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

main();
