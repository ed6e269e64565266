import os from 'node:os';

/** One figure of a benchmark run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export function printFigures(title: string, figures: Figure[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const f of figures) {
    const v = f.value >= 100 ? f.value.toFixed(0) : f.value >= 1 ? f.value.toFixed(2) : f.value.toFixed(3);
    console.log(`${f.name.padEnd(width)}  ${v.padStart(10)} ${f.unit}${f.note ? `   (${f.note})` : ''}`);
  }
  console.log(`\nJSON ${JSON.stringify({ bench: title, figures })}`);
}

/** "PASS"/"FAIL" against a goal, as benches print it. */
export function verdict(ratio: number, goal: number, direction: '>=' | '<='): string {
  const ok = direction === '>=' ? ratio >= goal : ratio <= goal;
  return `${ok ? 'PASS' : 'FAIL'} (goal ${direction} ${goal})`;
}

export const machine = (): string => {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
};
