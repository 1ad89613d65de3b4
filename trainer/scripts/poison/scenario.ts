// The poisoning and ratchet scenario of the trust issue, run through the real retrain (reader,
// review, per-client caps, holdout, fine-tune, gate, registry) on a models/ folder that holds a
// live model: one client floods the loop with 1s labelled 7, honest clients answer after it,
// then six rounds of wrong answers try to walk the model down one release at a time.
import { createHash } from 'node:crypto';
import { readManifest } from 'sync-server/registry';
import { DEFAULT_THRESHOLDS } from '../../src/gate';
import { RETRAIN_DEFAULTS, runRetrain, type RetrainOptions } from '../../src/commands/retrain';
import { pick, score } from '../../src/evaluate';
import { loadVersion } from '../../src/registry';
import type { SampleSet } from '../../src/train';
import { writeNewData } from '../../test/helpers/write-new-data';

export interface PoisonScenarioOptions {
  modelsDir: string;
  /** An empty feedback folder; the rounds append subsets to it, as a server would. */
  dataDir: string;
  /** Poison and honest answers are drawn from `train`; `test` is what the gate measures. */
  mnist: { train: SampleSet; test: SampleSet };
  /** Retrain settings over the defaults (epochs, replay, eval workers, ...). */
  retrain?: Partial<RetrainOptions>;
  poisonAnswers?: number;
  honestAnswers?: number;
  honestClients?: number;
  ratchetRounds?: number;
  ratchetAnswers?: number;
  /** Called after every round, for progress. */
  onRound?: (round: ScenarioRound) => void;
}

/** The live model's MNIST test figures. */
export interface LiveScore {
  version: string;
  accuracy: number;
  perDigitRecall: (number | null)[];
}

export interface ScenarioRound {
  kind: 'poison' | 'honest' | 'ratchet';
  /** Answers this round added. */
  answers: number;
  outcome: string;
  reason: string;
  /** Answers held back by the per-client caps in this retrain. */
  capped: number | null;
  /**
   * Answers the live model disputed in this retrain: held back and recorded in
   * `disputed.jsonl`, so later retrains leave them out until review accepts them.
   */
  disputed: number | null;
  wallMs: number;
  live: LiveScore;
  /** The champion's MNIST test accuracy after the round; null while none is established. */
  champion: number | null;
}

export interface ScenarioResult {
  before: LiveScore;
  /** The champion's MNIST test accuracy as first established (the floor: 0.2 points below). */
  champion: number;
  rounds: ScenarioRound[];
}

export const POISONED_DIGIT = 1;
export const POISON_LABEL = 7;

/** Runs the three phases in order and scores the live model after each retrain. */
export async function runPoisonScenario(o: PoisonScenarioOptions): Promise<ScenarioResult> {
  const feed = new Feeder(o);
  const before = await liveScore(o.modelsDir, o.mnist.test);
  const rounds: ScenarioRound[] = [];
  const round = async (
    kind: ScenarioRound['kind'],
    set: SampleSet,
    clientOf: (i: number) => string,
  ) => {
    await feed.append(kind, set, clientOf);
    const started = Date.now();
    const result = await runRetrain(feed.retrainOptions());
    const done: ScenarioRound = {
      kind,
      answers: set.count,
      outcome: result.outcome,
      reason: result.reason,
      capped: result.metrics.feedbackCapped ?? null,
      disputed: result.metrics.feedbackDisputed ?? null,
      wallMs: Date.now() - started,
      live: await liveScore(o.modelsDir, o.mnist.test),
      champion: (await readManifest(o.modelsDir))?.champion?.mnistTestAccuracy ?? null,
    };
    rounds.push(done);
    o.onRound?.(done);
  };
  const ones = indicesOf(o.mnist.train, POISONED_DIGIT).slice(0, o.poisonAnswers ?? 300);
  const poison = relabel(pick(o.mnist.train, ones), () => POISON_LABEL);
  await round('poison', poison, () => clientId('attacker'));

  const honestCount = o.honestAnswers ?? 100;
  const clients = o.honestClients ?? 10;
  const honest = pick(o.mnist.train, feed.fresh(honestCount));
  await round('honest', honest, (i) => clientId(`honest-${i % clients}`));

  for (let r = 0; r < (o.ratchetRounds ?? 6); r++) {
    const set = pick(o.mnist.train, feed.fresh(o.ratchetAnswers ?? 50));
    // Wrong by a fixed non-zero shift per round: every answer is wrong, and consistently so.
    await round(
      'ratchet',
      relabel(set, (label) => (label + 1 + (r % 9)) % 10),
      () => clientId(`ratchet-${r}`),
    );
  }
  // The first retrain that scores the live model establishes the champion (one rejected
  // before training never does).
  const champion = rounds.find((r) => r.champion !== null)?.champion;
  if (champion == null) throw new Error('no retrain established a champion');
  return { before, champion, rounds };
}

/** Appends each round's answers as new sealed subsets, and hands out unused training digits. */
class Feeder {
  private nextSubset = 0;
  private nextDigit: number;

  constructor(private readonly o: PoisonScenarioOptions) {
    // Honest and wrong answers come from the second half of the training digits, so they
    // never repeat the poison's 1s from the first half.
    this.nextDigit = Math.floor(o.mnist.train.count / 2);
  }

  async append(tag: string, set: SampleSet, clientOf: (i: number) => string): Promise<void> {
    await writeNewData(this.o.dataDir, set, {
      perSubset: 10,
      tag: `${tag}-${this.nextSubset}`,
      firstSubset: this.nextSubset,
      meta: (i) => ({ client_id: clientOf(i) }),
    });
    this.nextSubset += Math.ceil(set.count / 10);
  }

  fresh(n: number): Uint32Array {
    if (this.nextDigit + n > this.o.mnist.train.count)
      throw new Error('ran out of training digits');
    const out = Uint32Array.from({ length: n }, (_, i) => this.nextDigit + i);
    this.nextDigit += n;
    return out;
  }

  retrainOptions(): RetrainOptions {
    return {
      ...RETRAIN_DEFAULTS,
      dataDir: this.o.dataDir,
      modelsDir: this.o.modelsDir,
      threshold: 10,
      thresholds: DEFAULT_THRESHOLDS,
      force: false,
      reevalLive: false,
      mnist: () => this.o.mnist,
      ...this.o.retrain,
    };
  }
}

async function liveScore(modelsDir: string, test: SampleSet): Promise<LiveScore> {
  const manifest = await readManifest(modelsDir);
  if (!manifest) throw new Error(`no live model in ${modelsDir}`);
  const model = await loadVersion(modelsDir, manifest.current);
  try {
    const s = score(model, test);
    return {
      version: manifest.current,
      accuracy: s.accuracy ?? 0,
      perDigitRecall: s.perDigitRecall,
    };
  } finally {
    model.dispose();
  }
}

function indicesOf(set: SampleSet, digit: number): Uint32Array {
  const first = Math.floor(set.count / 2);
  const out: number[] = [];
  for (let i = 0; i < first; i++) if (set.labels[i] === digit) out.push(i);
  return Uint32Array.from(out);
}

function relabel(set: SampleSet, to: (label: number) => number): SampleSet {
  return { ...set, labels: set.labels.map(to) };
}

/** A stable UUID per named client. */
function clientId(name: string): string {
  const h = createHash('sha256').update(`client-${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
