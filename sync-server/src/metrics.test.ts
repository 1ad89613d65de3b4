import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics';

describe('Metrics', () => {
  it('counts retrain runs by outcome and observes their duration', async () => {
    const m = new Metrics();
    const run = { startedAt: '', finishedAt: '', durationMs: 90_000 };
    m.retrainFinished({ ...run, outcome: 'published' });
    m.retrainFinished({ ...run, outcome: 'failed' });
    m.retrainFinished({ ...run, outcome: 'failed' });
    const text = await m.render();
    expect(text).toMatch(/retrain_runs_total\{outcome="published"\} 1/);
    expect(text).toMatch(/retrain_runs_total\{outcome="failed"\} 2/);
    expect(text).toMatch(/retrain_duration_seconds_sum\{outcome="failed"\} 180/);
  });

  it('names only the live version, read when scraped', async () => {
    const m = new Metrics();
    let live: string | null = 'v1';
    m.trackLiveVersion(() => live);
    expect(await m.render()).toMatch(/model_live_info\{version="v1"\} 1/);
    live = 'v2';
    const text = await m.render();
    expect(text).toMatch(/model_live_info\{version="v2"\} 1/);
    expect(text).not.toMatch(/version="v1"/);
  });

  it('keeps separate registries per instance', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.feedbackItems(3, 0, 0);
    expect(await b.render()).toMatch(/feedback_items_total\{result="accepted"\} 0/);
  });
});
