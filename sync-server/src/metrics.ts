import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FinishedRun } from './retrain/driver';

/** The server's Prometheus metrics, on a registry of its own (tests build many apps). */
export class Metrics {
  readonly registry = new Registry();
  private readonly feedback = new Counter({
    name: 'feedback_items_total',
    help: 'Feedback items received, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly runs = new Counter({
    name: 'retrain_runs_total',
    help: 'Retrain runs finished, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly runSeconds = new Histogram({
    name: 'retrain_duration_seconds',
    help: 'Duration of retrain runs',
    labelNames: ['outcome'] as const,
    buckets: [10, 30, 60, 120, 300, 600, 1200, 3600],
    registers: [this.registry],
  });
  private liveSource: () => string | null = () => null;
  private readonly liveModel = new Gauge({
    name: 'model_live_info',
    help: 'The model version being served (value 1 on the live version)',
    labelNames: ['version'] as const,
    registers: [this.registry],
    // Read at scrape time, so it always names what the manifest store serves right now.
    collect: () => {
      const version = this.liveSource();
      this.liveModel.reset();
      if (version) this.liveModel.set({ version }, 1);
    },
  });
  private readonly http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request durations, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly bodies = new Gauge({
    name: 'http_request_bodies_in_progress',
    help: 'Request bodies being received now (capped by MAX_BODIES)',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    for (const result of ['accepted', 'rejected', 'duplicate']) this.feedback.inc({ result }, 0);
  }

  feedbackItems(accepted: number, rejected: number, duplicates: number): void {
    this.feedback.inc({ result: 'accepted' }, accepted);
    this.feedback.inc({ result: 'rejected' }, rejected);
    this.feedback.inc({ result: 'duplicate' }, duplicates);
  }

  retrainFinished(run: FinishedRun): void {
    this.runs.inc({ outcome: run.outcome });
    this.runSeconds.observe({ outcome: run.outcome }, run.durationMs / 1000);
  }

  /** Where the live model version comes from (the manifest store). */
  trackLiveVersion(source: () => string | null): void {
    this.liveSource = source;
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** How many request bodies are being received right now. */
  bodiesInProgress(n: number): void {
    this.bodies.set(n);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
