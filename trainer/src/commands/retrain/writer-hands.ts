import { describeStyle, type ElasticField, type WriterStyle } from 'sync-server/writers';
import type { FeedbackSample } from '../../data/subsets';
import {
  fitStyle,
  givenStyle,
  pickExemplars,
  styledDigits,
  type StyleFit,
} from '../../data/writer-style';
import { fitWarps } from '../../data/writer-warps';
import { concatSets } from '../../evaluate';
import type { SampleSet } from '../../train';
import { balancedOnMisread, focusOnMisread } from './writer-choice';
import { RETRAIN_DEFAULTS, type FitWriters, type HandMode, type WriterChoice } from './options';

/** Fewest new answers of one client for its hand to be estimated: fewer say too little. */
export const MIN_WRITER_ANSWERS = 4;
/** Most answers of one client a fit looks at (its newest): enough to pin the geometry down. */
const FIT_ANSWERS = 12;
/** MNIST exemplars per class an answer is compared with. */
const EXEMPLARS_PER_CLASS = 6;
/** Most writers per retrain whose hands are written (most answers first): bounds the cost. */
export const MAX_WRITERS = 20;
/** Most one-answer hands per retrain (see `handAnswers`): bounds the cost of the fits. */
export const MAX_ANSWER_HANDS = 80;
/**
 * Most writer digits per retrain, all hands together: a round with more hands writes fewer in
 * each (`shareDigits`), so the cost of a round with many new writers stays bounded (each writer
 * digit also brings `writerReplay` MNIST replay digits). A small round is bounded more tightly
 * (`budget` in `writerDigits`: one hand's digits per new subset).
 */
export const MAX_WRITER_DIGITS = 20_000;
/**
 * A one-answer hand writes this share of `perWriter`. A hand fitted to one answer is a far
 * weaker estimate than a writer's, fitted to its eight or so answers together: a writer's
 * answers, each a hand of its own, write about half as many digits as the writer's hand. This
 * also keeps a round of answers without writers (`MAX_ANSWER_HANDS` hands) as costly as it was
 * at 1,000 digits per writer and an eighth of that per answer.
 */
const ONE_ANSWER_SHARE = 1 / 16;

export interface WriterHand {
  /** The client, or undefined for a hand fitted to one answer without a known writer. */
  clientId: string | undefined;
  /** New answers of this client (1 for a one-answer hand). */
  answers: number;
  fit: StyleFit;
  /** The likeliest warps of a known writer's hand (`fitWarps`); none for the others. */
  warps: ElasticField[];
  /** MNIST digits written in this hand. */
  digits: number;
}

export interface WriterDigits {
  /** `perWriter` MNIST digits written in each hand, writer after writer. */
  set: SampleSet;
  hands: WriterHand[];
}

/**
 * MNIST training digits written in the hands of the new answers' writers. With `hands`:
 * - `writer` (the default): each known writer's hand whom the live model struggles with
 *   (`chooseWriters`; with `fitWriters` `all`, every known writer's), estimated from its
 *   newest answers together (the geometry, and its `handWarps` likeliest warps: `fitWarps`),
 *   `perWriter` digits; and for the answers of no client or of too small a one
 *   (`looseAnswers`), a hand each as below.
 * - `answer`: each new answer's own hand, estimated from that answer alone (`handAnswers`
 *   says which), `perWriter / 16` digits each (`ONE_ANSWER_SHARE`). A writer gives about
 *   eight answers, so a writer's hands together write about half of `perWriter` digits,
 *   spread the way the writer's digits are. Needs no client id.
 *
 * With `focus`, the kept digits are chosen among `pool` times as many for the live model's
 * mistakes (`classify` is its reading). Deterministic by `seed`.
 */
export function writerDigits(
  fresh: readonly FeedbackSample[],
  mnistTrain: SampleSet,
  perWriter: number,
  seed: number,
  misread: (answer: FeedbackSample) => boolean,
  options: {
    hands?: HandMode;
    /** Which known writers get a hand (`FIT_WRITERS`; default `misread`). */
    fitWriters?: FitWriters;
    focus?: { classify: (set: SampleSet) => Uint8Array; pool: number; choice?: WriterChoice };
    /** Clients' hands known beforehand, used instead of a fit (the replay's `--true-hands`). */
    trueHands?: ReadonlyMap<string, WriterStyle>;
    /** Each written digit bent by a random warp of about this many pixels (`styledDigits`). */
    warp?: number;
    /** Likeliest warps kept per known writer's hand (`fitWarps`; 0: the geometry alone). */
    handWarps?: number;
    /**
     * Most writer digits in all, shared out as `shareDigits` does (never more than
     * `MAX_WRITER_DIGITS`). The retrain gives `perWriter` per new subset, so that a subset of
     * 10 holding two writers' hands costs what one writer's does.
     */
    budget?: number;
  } = {},
): WriterDigits {
  const byWriter = (options.hands ?? RETRAIN_DEFAULTS.hands) === 'writer';
  const everyWriter = (options.fitWriters ?? RETRAIN_DEFAULTS.fitWriters) === 'all';
  const writers = byWriter ? chooseWriters(fresh, everyWriter ? () => true : misread) : [];
  const single = byWriter ? looseAnswers(fresh) : handAnswers(fresh, misread);
  if (perWriter === 0 || writers.length + single.length === 0) {
    return { set: concatSets(), hands: [] };
  }
  const exemplars = pickExemplars(mnistTrain, EXEMPLARS_PER_CLASS, seed + 101);
  const perAnswer = Math.max(1, Math.round(perWriter * ONE_ANSWER_SHARE));
  const handWarps = options.handWarps ?? RETRAIN_DEFAULTS.handWarps;
  const fitted: WriterHand[] = [
    ...writers.map(([clientId, answers], w): WriterHand => {
      const newest = [...answers].sort((a, b) => b.createdAt - a.createdAt).slice(0, FIT_ANSWERS);
      const known = options.trueHands?.get(clientId);
      const hand = { clientId, answers: answers.length, digits: perWriter };
      if (known) return { ...hand, fit: givenStyle(known, newest, exemplars), warps: [] };
      const fit = fitStyle(newest, exemplars);
      if (handWarps === 0) return { ...hand, fit, warps: [] };
      return { ...hand, ...fitWarps(newest, exemplars, fit, handWarps, seed + 613 * (w + 1)) };
    }),
    ...single.map((answer) => ({
      clientId: undefined,
      answers: 1,
      fit: fitStyle([answer], exemplars),
      warps: [],
      digits: perAnswer,
    })),
  ];
  const hands = shareDigits(fitted, Math.min(MAX_WRITER_DIGITS, options.budget ?? Infinity));
  const focus = options.focus;
  const sets = hands.map((h, w) => {
    const pool = focus && focus.pool > 1 ? h.digits * focus.pool : h.digits;
    const written = styledDigits(
      h.fit.style,
      mnistTrain,
      pool,
      seed + 7919 * (w + 1),
      options.warp ?? RETRAIN_DEFAULTS.writerWarp,
      h.warps,
    );
    if (pool <= h.digits) return written;
    const predicted = focus!.classify(written);
    return focus!.choice === 'balanced'
      ? balancedOnMisread(written, predicted, h.digits)
      : focusOnMisread(written, predicted, h.digits);
  });
  return { set: concatSets(...sets), hands };
}

/**
 * Scales every hand's `digits` down by one factor (at least one digit each) when together they
 * exceed `budget`: each hand keeps its share, and the round's cost stays bounded.
 */
export function shareDigits(hands: readonly WriterHand[], budget: number): WriterHand[] {
  const total = hands.reduce((sum, h) => sum + h.digits, 0);
  if (total <= budget) return [...hands];
  return hands.map((h) => ({ ...h, digits: Math.max(1, Math.floor((h.digits * budget) / total)) }));
}

/**
 * The new answers that get a hand of their own: those the live model misread first (their
 * hands are the ones it struggles with), then the newest, at most `MAX_ANSWER_HANDS`.
 */
export function handAnswers(
  fresh: readonly FeedbackSample[],
  misread: (answer: FeedbackSample) => boolean,
): FeedbackSample[] {
  const wrong = new Set(fresh.filter(misread));
  return [...fresh]
    .sort(
      (a, b) =>
        Number(wrong.has(b)) - Number(wrong.has(a)) ||
        b.createdAt - a.createdAt ||
        a.id.localeCompare(b.id),
    )
    .slice(0, MAX_ANSWER_HANDS);
}

/**
 * In `writer` mode, the new answers no writer's hand is fitted to: without a client id, or of
 * a client with fewer than `MIN_WRITER_ANSWERS` new answers; the newest `MAX_ANSWER_HANDS` of
 * them. A client with enough answers that `chooseWriters` leaves out gets no hand here either.
 */
export function looseAnswers(fresh: readonly FeedbackSample[]): FeedbackSample[] {
  const clients = byClient(fresh);
  return fresh
    .filter((a) => !a.clientId || clients.get(a.clientId)!.length < MIN_WRITER_ANSWERS)
    .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id))
    .slice(0, MAX_ANSWER_HANDS);
}

/**
 * The clients whose hands a retrain learns: at least `MIN_WRITER_ANSWERS` new answers each, of
 * which the live model misread at least one (a hand it already reads needs nothing, and a fit
 * to digits close to MNIST finds shapes in noise; `writerDigits` passes a `misread` that always
 * holds for `fitWriters` `all`), at most `MAX_WRITERS` of them, those with
 * the most answers first (then by id, so the choice is deterministic). Answers without a
 * client (the original system's) belong to nobody.
 */
export function chooseWriters(
  fresh: readonly FeedbackSample[],
  misread: (answer: FeedbackSample) => boolean,
): Array<[clientId: string, answers: FeedbackSample[]]> {
  return [...byClient(fresh)]
    .filter(([, answers]) => answers.length >= MIN_WRITER_ANSWERS && answers.some(misread))
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .slice(0, MAX_WRITERS);
}

/** The answers of each client; answers without a client id belong to none. */
function byClient(fresh: readonly FeedbackSample[]): Map<string, FeedbackSample[]> {
  const clients = new Map<string, FeedbackSample[]>();
  for (const answer of fresh) {
    if (!answer.clientId) continue;
    const list = clients.get(answer.clientId);
    if (list) list.push(answer);
    else clients.set(answer.clientId, [answer]);
  }
  return clients;
}

/**
 * Log lines for the hands: one per known writer (whose, from how many answers, the geometry
 * and how well it fits), one for all the one-answer hands together.
 */
export function describeHands(hands: readonly WriterHand[]): string[] {
  const lines = hands
    .filter((h) => h.clientId !== undefined)
    .map(
      (h) =>
        `writer ${h.clientId!.slice(0, 8)} (${h.answers} answers): ${describeStyle(h.fit.style)}` +
        `${h.warps.length > 0 ? ` and ${h.warps.length} likely warps` : ''}; ` +
        `similarity ${h.fit.plainSimilarity.toFixed(3)} → ${h.fit.similarity.toFixed(3)}`,
    );
  const loose = hands.filter((h) => h.clientId === undefined);
  if (loose.length > 0) {
    const mean = (f: (h: WriterHand) => number) =>
      (loose.reduce((sum, h) => sum + f(h), 0) / loose.length).toFixed(3);
    lines.push(
      `${loose.length} answers, a hand fitted to each: similarity ` +
        `${mean((h) => h.fit.plainSimilarity)} → ${mean((h) => h.fit.similarity)} on average`,
    );
  }
  return lines;
}
