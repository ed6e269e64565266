/**
 * `npx siqian extract`: reads all of stdin, prints one JSON object per identifier found, one per line:
 * {"kind","value","display","start","end"} — start/end are offsets into the original stdin text in UTF-16 code
 * units (as JavaScript strings index them), end exclusive. Resident ID numbers are never printed.
 */
import type { Command } from 'commander';
import { extractIdentifiers } from '../identifiers';

export function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/** The JSON lines printed for `text` (exported for tests). */
export function extractLines(text: string, region?: string): string[] {
  const { hits } = extractIdentifiers(text, { defaultRegion: region });
  return hits.map((h) =>
    JSON.stringify({ kind: h.kind, value: h.value, display: h.display, start: h.start, end: h.end }),
  );
}

export function register(program: Command): void {
  program
    .command('extract')
    .description(
      'read text on stdin and print the identifiers found in it, one JSON object per line: ' +
        '{"kind","value","display","start","end"}; start/end are offsets into the stdin text in UTF-16 code units ' +
        '(as JavaScript strings index them), end exclusive. Resident ID numbers are redacted, never printed.',
    )
    .option('--region <code>', 'ISO 3166 region for numbers without a country code', 'CN')
    .action(async (options: { region: string }) => {
      const text = await readAll(process.stdin);
      const lines = extractLines(text, options.region);
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    });
}
