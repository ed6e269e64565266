/**
 * bench:extract — CPU time of extractIdentifiers() finding identifiers of every kind, against libphonenumber-js's
 * findPhoneNumbersInText finding phones alone in the same text (the peer), default region CN for both. Goal:
 * peer CPU time / our CPU time ≥ 1.0 on the narrative mix and on the stream mix (bench/lib/extract-texts.ts says
 * how each is built; ≥ 10 MB of UTF-8 each, MB = 10^6 bytes). The peer runs twice, with the library's default
 * ("min") metadata and with the full ("max") metadata extraction uses; the goal is judged against the faster.
 * Best of 3 CPU times each (user + system of this process: on a machine shared with other jobs the wall clock also
 * counts the time the process waits for a core, and swings far more); wall-clock ms beside them.
 *
 * Extraction remembers validation results across calls (src/identifiers/memo.ts): the memo is cleared before each
 * timed run, so a run profits only from identifiers that recur inside it: rarely in the narrative mix, whose
 * identifiers are fresh per occurrence, often in the stream mix, where they recur as in real reports.
 *
 * Also printed: MB/s and the ratio to one combined-regex scan (no validation) for comparison with earlier rounds;
 * the library floor (bench/lib/library-floor.ts): the CPU time of the library calls extraction makes, made again
 * alone, and of the candidate scanner alone; and the dense mix (one identifier per ~40 characters), for information.
 */
import { findPhoneNumbersInText } from 'libphonenumber-js';
import * as lpn from 'libphonenumber-js/core';
import lpnMetadata from 'libphonenumber-js/metadata.max.json';
import { extractIdentifiers } from '../src/identifiers';
import { clearIdentifierMemo } from '../src/identifiers/memo';
import { ZIPF_S, buildStream, buildText, fittedExponents } from './lib/extract-texts';
import { best, libraryFloor } from './lib/library-floor';

type Mix = 'narrative' | 'stream' | 'dense';
const LPN_MAX: lpn.MetadataJson = lpnMetadata;

/** The comparison: one big alternation of simple patterns for the same kinds, no validation. */
const COMBINED = new RegExp(
  [
    'https?://[^\\s"<>]+',
    '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
    '0x[0-9a-fA-F]{40}',
    'bc1[a-z0-9]{8,87}',
    '[13Tr][1-9A-HJ-NP-Za-km-z]{25,34}',
    '(?:微信|QQ|qq|vx|VX|wx)[:：\\s]*[A-Za-z0-9_-]{5,20}',
    '(?:www\\.)?[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|cn|net|top|org|io|xyz|vip)',
    '\\d{1,3}(?:\\.\\d{1,3}){3}',
    '\\+?\\d[\\d -]{4,}\\d',
  ].join('|'),
  'g',
);

function run(mix: Mix): number {
  const texts = mix === 'stream' ? buildStream() : [buildText(mix)];
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0) / 1e6;
  const units = texts.reduce((n, t) => n + t.length, 0);
  const regex = best(() => {
    let n = 0;
    for (const t of texts) {
      COMBINED.lastIndex = 0;
      while (COMBINED.exec(t) !== null) n++;
    }
    return n;
  });
  const ours = best(() => {
    let n = 0;
    for (const t of texts) n += extractIdentifiers(t).hits.length;
    return n;
  }, clearIdentifierMemo);
  const peerMin = best(() => {
    let n = 0;
    for (const t of texts) n += findPhoneNumbersInText(t, 'CN').length;
    return n;
  });
  const peerMax = best(() => {
    let n = 0;
    for (const t of texts) n += lpn.findPhoneNumbersInText(t, 'CN', LPN_MAX).length;
    return n;
  });
  clearIdentifierMemo();
  const hits = texts.flatMap((t) => extractIdentifiers(t).hits);
  const distinct = new Set(hits.map((h) => `${h.kind}:${h.value}`)).size;
  const phones = hits.filter((h) => h.kind === 'PHONE').length;
  const peerCpu = Math.min(peerMin.cpu, peerMax.cpu);
  const ratio = peerCpu / ours.cpu;
  const rate = (r: { ms: number }): string => `${(mb / (r.ms / 1000)).toFixed(1)} MB/s`;
  const fig = (r: { ms: number; cpu: number }): string =>
    `CPU ${r.cpu.toFixed(0)} ms (wall ${r.ms.toFixed(0)} ms, ${rate(r)})`;
  const lines = [`[${mix} mix] ${texts.length} text(s), ${mb.toFixed(2)} MB UTF-8 (${units} UTF-16 units), best of 3`];
  if (mix === 'stream') lines.push(`  identifiers recur by Zipf rank, s = ${ZIPF_S} (${fittedExponents()})`);
  lines.push(
    `  extractIdentifiers, every kind:                ${fig(ours)}, ${ours.n} hits (${phones} phones), ${distinct} distinct values`,
    `  peer findPhoneNumbersInText, phones, min data: ${fig(peerMin)}, ${peerMin.n} phones`,
    `  peer findPhoneNumbersInText, phones, max data: ${fig(peerMax)}, ${peerMax.n} phones`,
    `  ratio peer CPU / our CPU (faster peer):        ${ratio.toFixed(2)} (min data ${(peerMin.cpu / ours.cpu).toFixed(2)}, max data ${(peerMax.cpu / ours.cpu).toFixed(2)})`,
    `  combined regex scan, no validation:            ${fig(regex)}, ${regex.n} matches; extract/regex by CPU time ${(regex.cpu / ours.cpu).toFixed(2)}`,
  );
  if (mix !== 'dense') {
    const f = libraryFloor(texts, clearIdentifierMemo);
    lines.push(
      `  library floor: the library calls extraction makes, made again alone: CPU ${f.libCpu.toFixed(0)} ms = ${((100 * f.libCpu) / ours.cpu).toFixed(0)}% of extraction; scanner alone ${f.scanCpu.toFixed(0)} ms`,
      `    ${f.calls}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return ratio;
}

function main(): void {
  const only = process.env.BENCH_EXTRACT_MIX as Mix | undefined;
  const mixes: Mix[] = only ? [only] : ['narrative', 'stream', 'dense'];
  const verdicts: string[] = [];
  for (const mix of mixes) {
    const ratio = run(mix);
    if (mix !== 'dense') verdicts.push(`${mix} ${ratio.toFixed(2)} ${ratio >= 1 ? 'PASS' : 'FAIL'}`);
  }
  process.stdout.write(`goal: peer CPU / our CPU >= 1.0: ${verdicts.join(', ')}\n`);
}

if (require.main === module) main();
