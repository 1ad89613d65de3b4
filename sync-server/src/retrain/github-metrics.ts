import { Counter, Gauge, type Registry } from 'prom-client';
import type { PullResult } from './puller';

/**
 * What the github driver adds to `/metrics`: deliveries (commit, push, dispatch) and pulls.
 * `retrain_github_delivery_failing` is the one to alert on: 1 while sealed feedback has not
 * reached GitHub, until a later seal or an admin retrain delivers it.
 */
export class GithubMetrics {
  private readonly deliveries: Counter<'result'>;
  private readonly failing: Gauge;
  private readonly pulls: Counter<'result'>;
  private readonly lastPull: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.deliveries = new Counter({
      name: 'retrain_github_deliveries_total',
      help: 'Attempts to push sealed subsets and dispatch the retrain workflow, by result',
      labelNames: ['result'] as const,
      registers,
    });
    this.failing = new Gauge({
      name: 'retrain_github_delivery_failing',
      help: '1 while the last delivery to GitHub failed (sealed feedback not yet pushed/dispatched)',
      registers,
    });
    this.pulls = new Counter({
      name: 'retrain_github_pulls_total',
      help: 'Pulls of models/ from the remote, by result',
      labelNames: ['result'] as const,
      registers,
    });
    this.lastPull = new Gauge({
      name: 'retrain_github_last_pull_success_seconds',
      help: 'Unix time of the last pull that reached the remote',
      registers,
    });
    for (const result of ['ok', 'retry', 'failed']) this.deliveries.inc({ result }, 0);
    for (const result of ['unchanged', 'updated', 'failed']) this.pulls.inc({ result }, 0);
    this.failing.set(0);
  }

  /** `retry`: one attempt failed and another follows; `failed`: the delivery gave up. */
  delivery(result: 'ok' | 'retry' | 'failed'): void {
    this.deliveries.inc({ result });
    if (result !== 'retry') this.failing.set(result === 'failed' ? 1 : 0);
  }

  pulled(result: PullResult): void {
    const label =
      result.outcome === 'unchanged' || result.outcome === 'failed' ? result.outcome : 'updated';
    this.pulls.inc({ result: label });
    if (result.outcome !== 'failed') this.lastPull.set(Date.now() / 1000);
  }
}
