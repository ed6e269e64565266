/**
 * Two API processes and two worker processes (real processes) ingest synthetic reports at once through both
 * APIs; when the linking queue has drained, `siqian recluster --verify` finds no difference from the
 * from-scratch reference. Scaled down here (LINK_CONCURRENCY_REPORTS, default 600) so CI runs it every time;
 * `npm run test:concurrency` runs the same with 20,000 reports.
 */
import { runLinkingLoad } from './support/linking-load';

describe('linking under concurrency: 2 API + 2 worker processes', () => {
  it('links every report exactly once: recluster --verify finds no difference', async () => {
    const reports = Number(process.env.LINK_CONCURRENCY_REPORTS ?? 600);
    const started = Date.now();
    const result = await runLinkingLoad({
      mongoUri: process.env.MONGODB_URI as string,
      redisUrl: process.env.REDIS_URL as string,
      reports,
      concurrency: 24,
      // small caps and batches so that hubs cross their cap and holds interleave even at this size
      env: { DEGREE_CAPS: 'PHONE=8,WECHAT_ID=8', LINK_BATCH_SIZE: '25' },
    });
    expect(result.submitted).toBe(reports);
    expect(result.linked).toBe(reports);
    expect(result.verifyOutput).toContain('no difference');
    expect(result.verifyExitCode).toBe(0);
    process.stdout.write(
      `linking concurrency: ${reports} reports, submitted in ${result.submitSeconds.toFixed(1)} s, linked ${result.drainSeconds.toFixed(1)} s later, ${((Date.now() - started) / 1000).toFixed(0)} s in all\n`,
    );
  }, 240_000);
});
