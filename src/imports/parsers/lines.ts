import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Bytes consumed so far of a file being streamed (for the progress bar). */
export interface ByteCounter {
  bytes: number;
}

/** Streams a file line by line (CRLF or LF), numbering lines from 1; constant memory. */
export async function* readLines(
  file: string,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<{ line: number; text: string }> {
  const stream = createReadStream(file);
  stream.on('data', (chunk: Buffer | string) => (counter.bytes += chunk.length));
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    yield { line, text };
  }
}
