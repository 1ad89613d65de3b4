// Does a retrain measurably help? Replays a labeled digit set as user feedback through the real
// retrain (reader, holdout, fine-tune, gate, registry) in a temp copy of models/, and reports
// accuracy before and after on a disjoint part of that set and on MNIST test. The default set is
// synthetic writers unlike MNIST (scripts/writers-set.ts): each writer's answers are fed, each
// writer's other digits judged.
// Usage: npm run replay -w trainer -- [--set writers|shifted|mnist-test] [--writers 10]
//   [--answers 10] [--judged 100] [--writer-seed 2026] [--writer-strength 1] [--test 10000]
//   [--explain] [retrain learning flags: --epochs, --lr, ...]
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from 'sync-server/scratch';
import { recordRun, watchMachine, type ReplayRun } from 'sync-server/bench-results';
import { describeStyle, type WriterStyle } from 'sync-server/writers';
import { initBackend } from '../src/backend';
import { scriptFlags } from '../src/commands/args';
import { RETRAIN_DEFAULTS, runRetrain } from '../src/commands/retrain';
import { learningOptions } from '../src/commands/retrain/learning-flags';
import { loadConfig } from '../src/config';
import { loadMnist } from '../src/data/mnist';
import { concatSets, pick } from '../src/evaluate';
import { DEFAULT_THRESHOLDS } from '../src/gate';
import { log } from '../src/log';
import { createRng, shuffledIndices, type SampleSet } from '../src/train';
import { uuidFrom, writeNewData } from '../test/helpers/write-new-data';
import { copyLive } from './copy-live';
import { explainBroken, explanationLines } from './explain-broken';
import { replayFlagsSchema, type ReplayFlags } from './replay/flags';
import { replayRun, reportJson, reportLines, type ReplayRound } from './replay/report';
import { scoreLive } from './replay/score';
import { shiftSet } from './shift';
import { writersSets } from './writers-set';

const machine = watchMachine();
const flags = scriptFlags(replayFlagsSchema, process.argv.slice(2));
const config = loadConfig(flags);
if (
  flags['true-hands'] !== 'false' &&
  (flags.set !== 'writers' || flags.anonymous || flags.hands !== 'writer')
) {
  throw new Error(
    '--true-hands needs --set writers with client ids (not --anonymous) and --hands writer',
  );
}
const backend = await initBackend();
const test = loadMnist('test');
const mnist = {
  train: loadMnist('train'),
  test: pick(
    test,
    Uint32Array.from({ length: flags.test }, (_, i) => i),
  ),
};
const evalIdx = Uint32Array.from({ length: flags.eval }, (_, i) => 5000 + i);
const { feedback, judged, perWriter, trueHands } = replaySets();
const feedbackCount = feedback.count;

// Feedback from test digits 0-4999, judged on 5000-9999: the two parts never share a digit.
function replaySets(): {
  feedback: SampleSet;
  judged: Record<string, SampleSet>;
  perWriter: number;
  /** Each writer's true geometry by its client id (`--true-hands`). */
  trueHands?: Map<string, WriterStyle>;
} {
  const clean = pick(test, evalIdx);
  if (flags.set === 'writers') {
    const sets = writersSets(test, {
      writers: flags.writers,
      answers: flags.answers,
      judged: flags.judged,
      seed: flags['writer-seed'],
      strength: flags['writer-strength'],
    });
    // The client id's first 8 characters, as the retrain's log names the hand it fits to them.
    sets.hands.forEach((hand, w) =>
      log('info', `writer ${w} (${writerClient(w).slice(0, 8)}): ${describeStyle(hand)}`),
    );
    return {
      feedback: sets.feedback,
      judged: { writers: sets.judged, 'mnist-test 5000+': clean },
      perWriter: flags.answers,
      trueHands: new Map(
        sets.hands.map((hand, w) => {
          const { elastic: _warp, ...affine } = hand;
          return [writerClient(w), flags['true-hands'] === 'affine' ? affine : hand];
        }),
      ),
    };
  }
  const full = flags.set === 'shifted' ? shiftSet(test) : test;
  const order = shuffledIndices(5000, createRng(11)).subarray(0, flags.feedback);
  return {
    feedback: pick(full, order),
    judged: { [flags.set]: pick(full, evalIdx), 'mnist-test 5000+': clean },
    perWriter: 0,
  };
}

const scratch = await scratchDir('replay-feedback-');
const root = scratch.path;
try {
  const modelsDir = join(root, 'models');
  const live = await copyLive(config.modelsDir, modelsDir, backend);
  // With --explain, the gate's MNIST test is scored before and after too; it is not one of the
  // judged sets, so the report and the results file leave it out.
  const scored = flags.explain ? { ...judged, 'mnist-test': mnist.test } : judged;
  const before = await scoreLive(modelsDir, scored);
  const writerDigits: SampleSet[] = [];
  const rounds = await replay(flags, feedback, root, modelsDir, (d) => writerDigits.push(d));
  const after = await scoreLive(modelsDir, scored);
  delete before.scores['mnist-test'];
  delete after.scores['mnist-test'];
  const outcome = { flags, live, backend, feedback: feedbackCount, judged, before, after, rounds };
  process.stdout.write(`${reportLines(outcome).join('\n')}\n${reportJson(outcome)}\n`);
  if (flags.explain) {
    const e = explainBroken(
      mnist.test,
      before.predictions['mnist-test']!,
      after.predictions['mnist-test']!,
      concatSets(...writerDigits),
      mnist.train,
    );
    process.stdout.write(`${explanationLines(e).join('\n')}\n`);
  } else {
    // One run per variant in the committed results file that `npm run docs` renders.
    const file = fileURLToPath(new URL('../bench/replay.json', import.meta.url));
    const run = replayRun(outcome, machine.done());
    recordRun<ReplayRun>(file, run, (earlier) => earlier.variant === run.variant);
    process.stdout.write(`written to ${file}; \`npm run docs\` updates the READMEs\n`);
  }
} finally {
  await scratch.remove();
}

/** The client id of writer `w`'s answers. */
function writerClient(w: number): string {
  return uuidFrom(`writer-${w}`);
}

// Feeds the feedback in rounds of `per-round` samples (0: all at once), retraining after each.
async function replay(
  f: ReplayFlags,
  all: SampleSet,
  root: string,
  modelsDir: string,
  /** Receives the digits each published round wrote in the writers' hands. */
  onWriterDigits: (digits: SampleSet) => void,
) {
  const step = f['per-round'] > 0 ? f['per-round'] : all.count;
  const rounds: ReplayRound[] = [];
  for (let n = step; n <= all.count; n += step) {
    const dataDir = join(root, 'new_data');
    await rm(dataDir, { recursive: true, force: true });
    await writeNewData(
      dataDir,
      pick(
        all,
        Uint32Array.from({ length: n }, (_, i) => i),
      ),
      {
        perSubset: 10,
        tag: f.set,
        // One device per writer, so the per-client caps see what they would in the field.
        ...(perWriter > 0 &&
          !f.anonymous && {
            meta: (i: number) => ({ client_id: writerClient(Math.floor(i / perWriter)) }),
          }),
      },
    );
    const started = Date.now();
    let wrote: SampleSet | undefined;
    const result = await runRetrain({
      ...RETRAIN_DEFAULTS,
      ...learningOptions(f),
      mnist: () => mnist,
      epochs: f.epochs,
      replay: f.replay,
      learningRate: f.lr,
      seed: f.seed,
      ...(f['true-hands'] !== 'false' && trueHands && { trueHands }),
      dataDir,
      modelsDir,
      threshold: 10,
      thresholds: f['open-gate']
        ? { maxMnistDrop: 100, maxDigitDrop: 100, holdoutAlpha: 0 }
        : DEFAULT_THRESHOLDS,
      force: false,
      // The manifest's accuracy is over all 10,000 test digits: score the live model on a subset.
      reevalLive: f.test < 10_000,
      onWriterDigits: (digits) => (wrote = digits),
    });
    // Only a published round's digits taught the model that is scored after.
    if (wrote && result.outcome === 'published') onWriterDigits(wrote);
    rounds.push({ samples: n, result, wallMs: Date.now() - started });
    log('info', `round with ${n} feedback samples: ${result.outcome}: ${result.reason}`);
  }
  return rounds;
}
