// What a replay prints, and the run it records in bench/replay.json (`npm run docs` renders it).
import type { ReplayRun } from 'sync-server/bench-results';
import type { RetrainResult } from '../../src/commands/retrain';
import type { SampleSet } from '../../src/train';
import { variant, type ReplayFlags } from './flags';
import { byWriter, errorsRemoved, paired, type LiveScores } from './score';

/** One retrain of the replay: the answers stored so far, its result and its wall time. */
export interface ReplayRound {
  samples: number;
  result: RetrainResult;
  wallMs: number;
}

/** A finished replay: the live model before and after, scored on the judged sets. */
export interface ReplayOutcome {
  flags: ReplayFlags;
  /** The live model's version before the first round. */
  live: string;
  backend: string;
  feedback: number;
  judged: Record<string, SampleSet>;
  before: LiveScores;
  after: LiveScores;
  rounds: ReplayRound[];
}

const pct = (x: number | null | undefined) =>
  typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : 'n/a';

export function reportLines(o: ReplayOutcome): string[] {
  const { before, after, judged } = o;
  return [
    `replay of ${o.feedback} ${o.flags.set} digits as feedback on ${o.live} (backend ${o.backend}), ${variant(o.flags)}`,
    ...Object.keys(before.scores).map((name) => {
      const p = paired(judged[name]!, before.predictions[name]!, after.predictions[name]!);
      const removed = errorsRemoved(before.scores[name], after.scores[name]);
      return (
        `  ${name.padEnd(18)} before ${pct(before.scores[name])}  after ${pct(after.scores[name])}` +
        `  (${judged[name]!.count} digits: ${p.fixed} fixed, ${p.broken} broken, McNemar z ${p.z.toFixed(2)}; ` +
        `errors removed ${pct(removed)})`
      );
    }),
    ...perWriterLines(o),
    ...o.rounds.map(
      (r) =>
        `  round ${r.samples} samples: ${r.result.outcome} in ${(r.wallMs / 1000).toFixed(1)} s; ` +
        `MNIST test 10k ${pct(r.result.metrics.liveMnistTestAccuracy)} → ${pct(r.result.metrics.candidateMnistTestAccuracy)}, ` +
        `holdout ${pct(r.result.metrics.liveHoldoutAccuracy)} → ${pct(r.result.metrics.candidateHoldoutAccuracy)} ` +
        `(${r.result.metrics.holdoutSamples ?? 0}), prequential ${pct(r.result.metrics.prequentialAccuracy)}`,
    ),
  ];
}

/** The same as one JSON line, for scripts that read the output. */
export function reportJson(o: ReplayOutcome): string {
  return JSON.stringify({
    set: o.flags.set,
    feedback: o.feedback,
    before: { version: o.before.version, scores: o.before.scores },
    after: { version: o.after.version, scores: o.after.scores },
    rounds: o.rounds,
  });
}

// `--set writers`: each writer's judged digits before and after; none for the other sets.
function writerScores(o: ReplayOutcome): Array<{ before: number; after: number }> {
  const set = o.judged.writers;
  if (!set) return [];
  const [before, after] = [o.before.predictions.writers!, o.after.predictions.writers!];
  return byWriter(set, o.flags.judged, before, after);
}

// Where the errors left are: one writer whose hand the retrain misses shows as no change.
function perWriterLines(o: ReplayOutcome): string[] {
  const writers = writerScores(o);
  if (writers.length === 0) return [];
  const pct0 = (x: number) => (x * 100).toFixed(0);
  return [
    `  per writer, % of ${o.flags.judged} judged digits right: ` +
      writers.map((w, i) => `${i} ${pct0(w.before)}→${pct0(w.after)}`).join(', '),
  ];
}

/** The run as `bench/replay.json` keeps it: one per variant. */
export function replayRun(o: ReplayOutcome, machine: ReplayRun['machine']): ReplayRun {
  const { before, after, judged } = o;
  return {
    date: new Date().toISOString(),
    machine,
    variant: variant(o.flags),
    feedback: o.feedback,
    live: o.live,
    backend: o.backend,
    sets: Object.keys(before.scores).map((name) => ({
      name,
      digits: judged[name]!.count,
      before: before.scores[name] ?? null,
      after: after.scores[name] ?? null,
      ...paired(judged[name]!, before.predictions[name]!, after.predictions[name]!),
      ...(name === 'writers' && { perWriter: writerScores(o) }),
    })),
    rounds: o.rounds.map(({ samples, result, wallMs }) => ({
      samples,
      outcome: result.outcome,
      reason: result.reason,
      wallMs,
      mnistTest: {
        before: result.metrics.liveMnistTestAccuracy ?? null,
        after: result.metrics.candidateMnistTestAccuracy ?? null,
      },
      holdout: {
        before: result.metrics.liveHoldoutAccuracy ?? null,
        after: result.metrics.candidateHoldoutAccuracy ?? null,
      },
      holdoutSamples: result.metrics.holdoutSamples ?? null,
    })),
  };
}
