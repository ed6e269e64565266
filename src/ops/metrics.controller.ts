import { Controller, Get, Header } from '@nestjs/common';
import { QueueStatsService } from '../queue/queue-stats.service';
import { MetricsService } from '../metrics/metrics.service';

@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queueStats: QueueStatsService,
  ) {}

  /** Prometheus text exposition. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    for (const { queue, counts } of await this.queueStats.counts()) {
      for (const [state, n] of Object.entries(counts)) this.metrics.queueJobs.set({ queue, state }, Number(n));
    }
    return this.metrics.registry.metrics();
  }
}
