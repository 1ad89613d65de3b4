// The generated README blocks: `<!-- figures:ID -->` … `<!-- /figures -->`, one renderer per ID.
import { dates, fixed, int, loadSpan, machineLine, ms, pct, seconds, span, table } from './format';
import { lighthouse } from './lighthouse';
import type { Figure, Machine } from './results';
import { RESULT_FILES, type Sources } from './sources';

type Run = { date: string; machine: Machine; source?: string | undefined; invocations: number };

/** Which runs, on what, when and at what load; and whether some were transcribed. */
function provenance(file: string, runs: Run[]): string {
  const count = runs.reduce((n, r) => n + r.invocations, 0);
  const machines = runs.map((r) => r.machine);
  const transcribed = runs.some((r) => r.source)
    ? ' Some figures were transcribed from an earlier README, not written by the bench (see `source` there).'
    : '';
  return (
    `From \`${file}\`: ${count} run${count === 1 ? '' : 's'} on ${dates(runs)}, ` +
    `${machineLine(machines)}, ${loadSpan(machines)}.${transcribed}`
  );
}

const TARGET: Record<string, string> = {
  feedback: '`POST /api/feedback` (fsynced before the answer)',
  echo: 'bare Hono JSON echo',
};

function syncServerBench(s: Sources): string {
  const rows = s.syncServer.flatMap((run) =>
    run.rows.map((r) => [
      `${run.date.slice(0, 10)}, ${loadSpan([run.machine])}`,
      TARGET[r.target] ?? r.target,
      String(r.batch),
      span([r.itemsPerSec], int),
      span([r.reqPerSec], int),
      span([r.p50Ms], int),
      span([r.p99Ms], int),
    ]),
  );
  return [
    provenance(RESULT_FILES.syncServer, s.syncServer),
    '',
    table(['run', 'target', 'batch', 'items/s', 'req/s', 'p50 ms', 'p99 ms'], rows, [
      'l',
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
  ].join('\n');
}

/** The prediction time with a full personal memory, from the runs that measured it. */
function personalRows(runs: Sources['web']): string[][] {
  const all = runs.flatMap((r) => (r.personal ? [r.personal] : []));
  // Runs that timed the memory with a hand in use, when there are any: the dearer path.
  const withHand = all.filter((p) => p.hand && p.hand !== 'none');
  const measured = withHand.length ? withHand : all;
  if (!measured.length) return [];
  return [
    [
      `single prediction with a full personal memory (${span(
        measured.map((p) => p.memory),
        int,
      )} answers${withHand.length ? ' and a hand' : ''}), on the page`,
      `p50 ${span(
        measured.map((p) => p.p50Ms),
        ms,
      )} ms, p95 ${span(
        measured.map((p) => p.p95Ms),
        ms,
      )} ms (${span(
        measured.map((p) => p.digits),
        int,
      )} drawn digits per run, ${measured.length} of ${runs.length} runs)`,
      '≤ 1 ms',
    ],
  ];
}

function webBench(s: Sources): string {
  const runs = s.web;
  const backends = [...new Set(runs.flatMap((r) => r.predict.map((p) => p.backend)))];
  const predictRows = backends.map((backend) => {
    const entries = runs.flatMap((r) => r.predict.filter((p) => p.backend === backend));
    const counts = span(
      entries.map((e) => e.runs),
      int,
    );
    return [
      `single prediction, ${backend}, in the backend measurement`,
      `p50 ${span(
        entries.map((e) => e.p50Ms),
        ms,
      )} ms, p95 ${span(
        entries.map((e) => e.p95Ms),
        ms,
      )} ms${counts === '–' ? '' : ` (${counts} predictions)`}`,
      '',
    ];
  });
  const all = <K extends keyof (typeof runs)[number]>(key: K) => runs.map((r) => r[key] as Figure);
  const chosen = [...new Set(runs.map((r) => r.auto.backend))].join(', ');
  return [
    provenance(RESULT_FILES.web, runs),
    '',
    table(
      ['figure', 'value', 'target'],
      [
        ...predictRows,
        [
          `single prediction, auto-chosen (${chosen}), on the page`,
          `p50 ${span(
            runs.map((r) => r.auto.p50Ms),
            ms,
          )} ms, p95 ${span(
            runs.map((r) => r.auto.p95Ms),
            ms,
          )} ms (${span(
            runs.map((r) => r.auto.digits),
            int,
          )} drawn digits per run)`,
          '≤ 1 ms',
        ],
        [
          'navigation → first prediction ready, cold',
          `median ${span(all('coldReadyMedianMs'), seconds(2))} s (slowest single load ${span(all('coldReadySlowestMs'), seconds(2))} s)`,
          '≤ 2 s',
        ],
        [
          'navigation → first prediction ready, warm, offline',
          `median ${span(all('warmOfflineReadyMedianMs'), seconds(2))} s`,
          '',
        ],
        [
          'initial JS (entry chunk)',
          `${span(all('initialJsGzipKB'), fixed(1))} KB gzip`,
          '≤ 500 KB',
        ],
        [
          'JS loaded before the first prediction',
          `${span(all('jsToFirstPredictionGzipKB'), fixed(1))} KB gzip (${span(all('jsToFirstPredictionRawKB'), int)} KB raw)`,
          '',
        ],
        ...personalRows(runs),
        ['model bytes', `${span(all('modelKB'), int)} KB`, ''],
      ],
    ),
  ].join('\n');
}

function trainerBench(s: Sources): string {
  const speed = s.trainingSpeed;
  const last = speed.at(-1)!;
  const keys = [
    ...new Set(
      speed.flatMap((r) => r.cases.map((c) => JSON.stringify([c.backend, c.batchSize, c.augment]))),
    ),
  ];
  const speedRows = keys.map((key) => {
    const [backend, batchSize, augment] = JSON.parse(key) as [string, number, boolean];
    const match = speed.flatMap((r) =>
      r.cases.filter(
        (c) => c.backend === backend && c.batchSize === batchSize && c.augment === augment,
      ),
    );
    return [
      backend,
      String(batchSize),
      augment ? 'yes' : 'no',
      span(
        match.map((c) => c.samplesPerSec),
        fixed(1),
      ),
    ];
  });
  const wall = s.retrainWallTime;
  const wallRows = byCase(
    wall.map((r) => r.sizes),
    wallCase,
  ).map((match) => {
    const digits = recorded(match, (z) => z.writerDigits);
    return [
      digits.length > 0
        ? `${int(match[0]!.samples)} from two writers (${span(digits, int)} writer digits)`
        : int(match[0]!.samples),
      [...new Set(match.map((z) => z.outcome))].join(', '),
      span(
        match.map((z) => z.wallMs),
        seconds(1),
      ),
    ];
  });
  return [
    `Training speed (\`npm run bench -w trainer\`, \`bench/training-speed.ts\`) of the shipped \`buildModel()\`: ${int(last.parameters)} parameters, ${fixed(1)(last.multiplyAdds / 1e6)}M multiply-adds per digit. ${provenance(RESULT_FILES.trainingSpeed, speed)}`,
    '',
    table(['backend', 'batch', 'augment', 'samples/s'], speedRows, ['l', 'r', 'l', 'r']),
    '',
    `Retrain wall time, start → published (\`bench/retrain-wall-time.ts\`, gate opened wide), backend ${[...new Set(wall.map((r) => r.backend))].join(', ')}, peak RSS ${span(
      wall.map((r) => r.peakRssMiB),
      int,
    )} MiB. ${provenance(RESULT_FILES.retrainWallTime, wall)}`,
    '',
    table(['feedback samples', 'outcome', 'seconds'], wallRows, ['r', 'l', 'r']),
    '',
    retrainScale(s),
  ].join('\n');
}

/** What `get` finds in each of `rows`, leaving out the rows (older runs) that lack it. */
function recorded<T, V>(rows: T[], get: (row: T) => V | undefined): V[] {
  return rows.flatMap((row) => {
    const value = get(row);
    return value === undefined ? [] : [value];
  });
}

/**
 * The rows of several runs grouped by case (`key`: a size, maybe with a suffix), the cases by
 * size, a plain size before its marked variants.
 */
function byCase<T>(rowsPerRun: T[][], key: (row: T) => string): T[][] {
  const cases = [...new Set(rowsPerRun.flatMap((rows) => rows.map(key)))].sort(
    (a, b) => parseInt(a, 10) - parseInt(b, 10) || a.length - b.length,
  );
  return cases.map((c) => rowsPerRun.flatMap((rows) => rows.filter((z) => key(z) === c)));
}

/** A retrain-scale case: `100000`, or `100000-backlog` when more than one subset is unpublished. */
const scaleCase = (z: { stored: number; unpublished?: number | undefined }) =>
  `${z.stored}${z.unpublished === undefined ? '' : '-backlog'}`;

function retrainScale(s: Sources): string {
  const runs = s.retrainScale;
  const rows = byCase(
    runs.map((r) => r.sizes),
    scaleCase,
  ).map((match) => {
    const unpublished = recorded(match, (z) => z.unpublished);
    const asNew = recorded(match, (z) => z.newSamples);
    const deferred = recorded(match, (z) => z.deferredSamples);
    return [
      int(match[0]!.stored),
      unpublished.length > 0 ? span(unpublished, int) : 'the newest subset',
      asNew.length > 0 ? `${span(asNew, int)} (${span(deferred, int)} to the recall pool)` : '–',
      span(
        match.map((z) => z.trainSamples),
        int,
      ),
      [...new Set(match.map((z) => z.outcome))].join(', '),
      span(
        match.map((z) => z.wallMs),
        seconds(1),
      ),
      span(
        match.map((z) => z.peakRssMiB),
        int,
      ),
    ];
  });
  return [
    `Retrain cost against history, start → decision (\`bench/retrain-scale.ts\`): the same retrain with 1,000 and with 100,000 answers stored, one new subset each, and with 100,000 of which the live model has trained on the first 1,000 only (every round since rejected). In the same run, 100,000 against 1,000 stored: wall time ×${span(
      runs.map((r) => r.wallRatio),
      fixed(2),
    )}, peak RSS ×${span(
      runs.map((r) => r.rssRatio),
      fixed(2),
    )}. ${provenance(RESULT_FILES.retrainScale, runs)}`,
    '',
    table(
      [
        'answers stored',
        'unpublished',
        'train as new',
        'answers trained on',
        'outcome',
        'seconds',
        'peak RSS MiB',
      ],
      rows,
      ['r', 'r', 'r', 'r', 'l', 'r', 'r'],
    ),
  ].join('\n');
}

/** Start-up times with `stored` answers, over the kept runs. */
function startupTimes(s: Sources, stored: number): Figure[] {
  return s.serverStartup.flatMap((r) =>
    r.cases.filter((c) => c.stored === stored).map((c) => c.healthyMs),
  );
}

/** The wall times of one case (`key`) of a retrain bench, over the kept runs. */
function caseTimes<Z extends { wallMs: Figure }>(
  runs: ReadonlyArray<{ sizes: Z[] }>,
  key: (z: Z) => string,
  c: string,
): Figure[] {
  return runs.flatMap((r) => r.sizes.filter((z) => key(z) === c).map((z) => z.wallMs));
}

function serverStartup(s: Sources): string {
  const runs = s.serverStartup;
  const stored = [...new Set(runs.flatMap((r) => r.cases.map((c) => c.stored)))].sort(
    (a, b) => a - b,
  );
  const rows = stored.map((n) => [int(n), span(startupTimes(s, n), seconds(2))]);
  return [
    provenance(RESULT_FILES.serverStartup, runs),
    '',
    table(['answers stored', 'spawn → healthy, s'], rows, ['r', 'r']),
  ].join('\n');
}

const arrow = (before: Figure, after: Figure) =>
  before === null && after === null ? '' : `${span([before], pct)} → ${span([after], pct)} %`;
const secondsOf = (wallMs: Figure) => (wallMs === null ? '' : `${span([wallMs], seconds(1))} s`);

/** A wall-time case as the bench names it: `10`, or `10-writers` for the two-writer subset. */
const wallCase = (z: { samples: number; writerDigits?: number | undefined }) =>
  `${z.samples}${z.writerDigits === undefined ? '' : '-writers'}`;

/** The replay's judged clean digits, next to the replayed set. */
const MNIST_PART = 'mnist-test 5000+';

/** Share of the errors before that are gone after, in %: the replay goal is half or more. */
function errorsRemoved(before: Figure, after: Figure): string {
  if (typeof before !== 'number' || typeof after !== 'number' || before >= 1) return '';
  return `${fixed(0)(((after - before) / (1 - before)) * 100)} %`;
}

function replay(s: Sources): string {
  const rows = s.replay.map((run) => {
    if (run.rounds.length > 1) return replayInRounds(run);
    const round = run.rounds.at(-1)!;
    const shifted = run.sets.find((set) => set.name !== MNIST_PART);
    const held = `${span([round.holdoutSamples], int)} held out`;
    const published = round.outcome === 'published';
    // A rejected candidate never went live: only the gate's own figures say anything about it.
    const judged = published
      ? judgedColumns(run)
      : [`${round.outcome}: ${round.reason}`, '', '', ''];
    return [
      replayName(run),
      `${int(run.feedback)} ${shifted?.name ?? ''} (${held})`,
      ...judged,
      arrow(round.mnistTest.before, round.mnistTest.after),
      published ? arrow(round.holdout.before, round.holdout.after) : '',
      secondsOf(round.wallMs),
    ];
  });
  return [
    provenance(RESULT_FILES.replay, s.replay),
    '',
    table(
      [
        'retrain',
        'feedback',
        'judged: same writers or shift',
        'errors removed',
        'fixed / broken (z)',
        'MNIST 5000+',
        'MNIST test (gate)',
        'holdout',
        'time',
      ],
      rows,
    ),
  ].join('\n');
}

const replayName = (run: Sources['replay'][number]) =>
  run.variant === 'default' ? 'default' : `\`${run.variant}\``;

/**
 * A replay fed in several rounds (`--per-round`): the judged sets compare the live model
 * before the first round with the live model after the last (the last candidate published),
 * MNIST test (gate) the same two, and the time is all rounds'.
 */
function replayInRounds(run: Sources['replay'][number]): string[] {
  const shifted = run.sets.find((set) => set.name !== MNIST_PART);
  const published = run.rounds.filter((r) => r.outcome === 'published');
  const first = run.rounds[0]!;
  const live = published.at(-1)?.mnistTest.after ?? first.mnistTest.before;
  // A round without a single measured time leaves the total unknown, not short.
  const times = run.rounds.map((r) => r.wallMs);
  const wallMs = times.every((t): t is number => typeof t === 'number')
    ? times.reduce((sum, t) => sum + t, 0)
    : null;
  return [
    replayName(run),
    `${int(run.feedback)} ${shifted?.name ?? ''} in ${run.rounds.length} rounds, ${published.length} published`,
    ...judgedColumns(run),
    arrow(first.mnistTest.before, live),
    '',
    secondsOf(wallMs),
  ];
}

/**
 * The replay's judged sets, the live model before against after: the replayed set's
 * accuracy, errors removed, fixed / broken (z), and the clean MNIST part's accuracy.
 */
function judgedColumns(run: Sources['replay'][number]): string[] {
  const mnistPart = run.sets.find((set) => set.name === MNIST_PART);
  const shifted = run.sets.find((set) => set !== mnistPart);
  return [
    shifted ? arrow(shifted.before, shifted.after) : '',
    shifted ? errorsRemoved(shifted.before, shifted.after) : '',
    shifted
      ? `${span([shifted.fixed], int)} / ${span([shifted.broken], int)} (${span([shifted.z], fixed(1))})`
      : '',
    mnistPart ? arrow(mnistPart.before, mnistPart.after) : '',
  ];
}

const KIND: Record<string, string> = {
  poison: 'one client labels 1s as 7',
  honest: 'honest answers from 10 other clients',
  ratchet: 'wrong answers from one new client',
};

// One table per run: every round of the poisoning and ratchet scenario with the live model
// after it, against the champion's floor.
function poison(s: Sources): string {
  const tables = s.poison.flatMap((run) => {
    const name = run.variant === 'default' ? 'default settings' : `\`${run.variant}\``;
    const floor = typeof run.champion === 'number' ? run.champion - 0.002 : null;
    const rows = [
      ['before', '', '', '', span([run.before.accuracy], pct), span([run.before.recall], pct), ''],
      ...run.rounds.map((r) => [
        KIND[r.kind] ?? r.kind,
        int(r.answers),
        r.outcome === 'published' ? 'published' : `${r.outcome}: ${r.reason}`,
        span([r.capped], int),
        span([r.accuracy], pct),
        span([r.recall], pct),
        secondsOf(r.wallMs),
      ]),
    ];
    return [
      `${name}, ${int(run.testDigits)} MNIST test digits, live ${run.live}, backend ${run.backend}: champion ${span([run.champion], pct)} %, floor ${span([floor], pct)} %.`,
      '',
      table(
        [
          'round',
          'answers',
          'outcome',
          'capped',
          'live MNIST test %',
          `recall of ${run.digit} %`,
          'time',
        ],
        rows,
        ['l', 'r', 'l', 'r', 'r', 'r', 'r'],
      ),
      '',
    ];
  });
  return [provenance(RESULT_FILES.poison, s.poison), '', ...tables].join('\n').trimEnd();
}

function summary(s: Sources): string {
  const base = s.manifest.versions.filter((v) => v.training?.kind === 'base').at(-1);
  const speed = s.trainingSpeed.at(-1)!;
  const baseFigure = base?.training
    ? `**${pct(base.metrics.mnistTestAccuracy)} %**, ${int(speed.parameters)} parameters, ${fixed(1)(speed.multiplyAdds / 1e6)}M multiply-adds per digit (${base.training.epochs} epochs, seed ${base.training.seed}, ${base.training.backend}, ${fixed(1)(base.training.durationMs / 60_000)} min)`
    : 'no base model in `models/manifest.json`';
  const cases = (backend: string, augment: boolean) =>
    span(
      s.trainingSpeed.flatMap((r) =>
        r.cases
          .filter((c) => c.backend === backend && c.augment === augment)
          .map((c) => c.samplesPerSec),
      ),
      fixed(1),
    );
  const wallTimes = (c: string) => caseTimes(s.retrainWallTime, wallCase, c);
  const wallOf = (c: string) => span(wallTimes(c), seconds(1));
  const scaleTimes = (c: string) => caseTimes(s.retrainScale, scaleCase, c);
  const twoWriters =
    wallTimes('10-writers').length > 0 ? ` (from two writers: ${wallOf('10-writers')} s)` : '';
  const ingest = (batch: number) => {
    const rows = (target: 'feedback' | 'echo') =>
      s.syncServer.flatMap((r) => r.rows.filter((x) => x.target === target && x.batch === batch));
    const f = rows('feedback');
    return `${span(
      f.map((r) => r.itemsPerSec),
      int,
    )} items/s, p50 ${span(
      f.map((r) => r.p50Ms),
      int,
    )} ms, p99 ${span(
      f.map((r) => r.p99Ms),
      int,
    )} ms (bare Hono echo in the same runs: ${span(
      rows('echo').map((r) => r.itemsPerSec),
      int,
    )} items/s; ${loadSpan(s.syncServer.map((r) => r.machine))})`;
  };
  const web = s.web;
  const webLoad = loadSpan(web.map((r) => r.machine));
  const all = [
    ...s.syncServer,
    ...s.trainingSpeed,
    ...s.retrainWallTime,
    ...s.retrainScale,
    ...s.serverStartup,
    ...s.replay,
    ...web,
    ...s.personal,
  ];
  return [
    `Measured on ${dates(all)}: ${machineLine(all.map((r) => r.machine))}. Each workspace README has the full tables, the results file and the load each run saw.`,
    '',
    table(
      ['what', 'figure', 'target'],
      [
        ['base model, MNIST 10k test', baseFigure, '≥ 99.5 %, ≤ 150k'],
        [
          'training speed, one thread, shipped CNN',
          `wasm + our kernels ${cases('wasm', false)} samples/s (${cases('wasm', true)}/s with augmentation); stock cpu ${cases('cpu', false)}/s; stock wasm cannot train it (${loadSpan(s.trainingSpeed.map((r) => r.machine))})`,
          '',
        ],
        [
          'retrain, start → published',
          `10 feedback ${wallOf('10')} s${twoWriters}, 100: ${wallOf('100')} s, 1,000: ${wallOf('1000')} s; peak RSS ${span(
            s.retrainWallTime.map((r) => r.peakRssMiB),
            int,
          )} MiB (${loadSpan(s.retrainWallTime.map((r) => r.machine))})`,
          '< 60 s for 10',
        ],
        [
          'retrain cost against history',
          `100,000 answers stored against 1,000: wall time ×${span(
            s.retrainScale.map((r) => r.wallRatio),
            fixed(2),
          )}, peak RSS ×${span(
            s.retrainScale.map((r) => r.rssRatio),
            fixed(2),
          )}; 100,000: ${span(scaleTimes('100000'), seconds(1))} s, ${span(
            s.retrainScale.flatMap((r) => recorded(r.sizes, (z) => z.unpublished)),
            int,
          )} of them unpublished: ${span(scaleTimes('100000-backlog'), seconds(1))} s (${loadSpan(
            s.retrainScale.map((r) => r.machine),
          )})`,
          '≤ 1.3×; < 60 s at 100,000 stored',
        ],
        [
          'server start-up, 100,000 answers stored',
          `${span(startupTimes(s, 100_000), seconds(2))} s to healthy (none stored: ${span(
            startupTimes(s, 0),
            seconds(2),
          )} s; ${loadSpan(s.serverStartup.map((r) => r.machine))})`,
          '≤ 3 s',
        ],
        ['durable feedback ingest, batches of 50', ingest(50), '≥ 2,000 items/s'],
        ['durable feedback ingest, batches of 1', ingest(1), ''],
        [
          'browser prediction, auto-chosen backend',
          `p50 ${span(
            web.map((r) => r.auto.p50Ms),
            ms,
          )} ms, p95 ${span(
            web.map((r) => r.auto.p95Ms),
            ms,
          )} ms for a drawn digit (${webLoad})`,
          '≤ 1 ms',
        ],
        [
          'navigation → first prediction ready',
          `cold median ${span(
            web.map((r) => r.coldReadyMedianMs),
            seconds(2),
          )} s (slowest single load ${span(
            web.map((r) => r.coldReadySlowestMs),
            seconds(2),
          )} s), warm offline ${span(
            web.map((r) => r.warmOfflineReadyMedianMs),
            seconds(2),
          )} s`,
          '≤ 2 s cold',
        ],
        [
          'initial JS',
          `${span(
            web.map((r) => r.initialJsGzipKB),
            fixed(1),
          )} KB gzip (${span(
            web.map((r) => r.jsToFirstPredictionGzipKB),
            fixed(1),
          )} KB gzip loaded before the first prediction)`,
          '≤ 500 KB',
        ],
        ...personalSummary(s),
      ],
    ),
  ].join('\n');
}

/** The summary's personalization row: the newest run with other populations, if any. */
function personalSummary(s: Sources): string[][] {
  const run = s.personal.at(-1);
  if (!run?.populations?.length) return [];
  const all = [personalTotals(run), ...run.populations];
  const met = all.filter(meetsPersonalGoal).length;
  return [
    [
      "on-device personalization, errors in a stream's second half",
      `${span(all.map(fewerShare), pct)} % fewer over ${all.length} populations of ${run.writers.length} synthetic writers; goal met on ${met} of ${all.length}`,
      '≥ 40 % fewer, no writer > +1',
    ],
  ];
}

const MEMORY_CAP_NOTE = 'a full memory (500 answers)';

/** Per writer of the newest run: errors in the second half of the stream, without → with. */
function personalBench(s: Sources): string {
  const run = s.personal[s.personal.length - 1]!;
  const hands = run.writers.some((w) => w.hand !== undefined);
  const rows = run.writers.map((w, i) => [
    String(i + 1),
    w.style,
    String(w.judged),
    String(w.errorsWithout),
    String(w.errorsWith),
    ...(hands ? [w.hand ?? ''] : []),
  ]);
  const { without, withMemory, worst } = personalTotals(run);
  const judged = run.writers.reduce((n, w) => n + w.judged, 0);
  const fewer = fewerShare({ without, withMemory });
  rows.push([
    'all',
    '',
    String(judged),
    String(without),
    String(withMemory),
    ...(hands ? [''] : []),
  ]);
  const headers = ['writer', 'style', 'judged', 'errors, model alone', 'errors, with memory'];
  return [
    provenance(RESULT_FILES.personal, [run]),
    `Live model \`${run.live}\`; streams of ${run.streamLength} digits; ` +
      (run.hand ? `hand \`${JSON.stringify(run.hand)}\`, ` : '') +
      `head \`${JSON.stringify(run.head)}\`, neighbours \`${JSON.stringify(run.blend)}\`.`,
    '',
    table(
      hands ? [...headers, 'hand fitted by the end'] : headers,
      rows,
      hands ? ['r', 'l', 'r', 'r', 'r', 'l'] : ['r', 'l', 'r', 'r', 'r'],
    ),
    '',
    `${pct(fewer)} % fewer errors (goal ≥ 40 %); the worst writer's change: ` +
      `${signed(worst)} (goal ≤ +1).` +
      (run.personalizeMedianMs === undefined
        ? ''
        : ` The memory adds a median ${fixed(3)(run.personalizeMedianMs)} ms to a prediction ` +
          `with ${MEMORY_CAP_NOTE} (Node, same code as the browser).`),
    ...(run.populations?.length
      ? ['', ...personalPopulations(run.populations, run.writers.length)]
      : []),
  ].join('\n');
}

/** The same defaults on other seeded populations, recorded by the same run. */
function personalPopulations(
  populations: NonNullable<Sources['personal'][number]['populations']>,
  writers: number,
): string[] {
  const met = populations.filter(meetsPersonalGoal);
  const rows = populations.map((p) => [
    String(p.seed),
    String(p.without),
    String(p.withMemory),
    pct(fewerShare(p)),
    signed(p.worst),
  ]);
  return [
    `Other populations (${writers} writers each, drawn by seed), same defaults, same run: the goal is met ` +
      `on ${met.length} of ${populations.length}.`,
    '',
    table(['seed', 'errors, model alone', 'errors, with memory', '% fewer', 'worst writer'], rows, [
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
  ];
}

interface PersonalTotals {
  without: number;
  withMemory: number;
  /** The largest change in one writer's errors (positive: worse with the memory). */
  worst: number;
}

/** A personal-bench run's recorded population, totalled like its other populations. */
function personalTotals(run: Sources['personal'][number]): PersonalTotals {
  return {
    without: run.writers.reduce((n, w) => n + w.errorsWithout, 0),
    withMemory: run.writers.reduce((n, w) => n + w.errorsWith, 0),
    worst: Math.max(...run.writers.map((w) => w.errorsWith - w.errorsWithout)),
  };
}

/** The share of the model's errors the memory removed. */
function fewerShare(p: Pick<PersonalTotals, 'without' | 'withMemory'>): number {
  return p.without ? (p.without - p.withMemory) / p.without : 0;
}

/** The personalization goal: at least 40 % fewer errors, and no writer more than one worse. */
function meetsPersonalGoal(p: PersonalTotals): boolean {
  return fewerShare(p) >= 0.4 && p.worst <= 1;
}

function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${n}`;
}

export const BLOCKS: Record<string, (s: Sources) => string> = {
  lighthouse,
  'personal-bench': personalBench,
  summary,
  replay,
  poison,
  'server-startup': serverStartup,
  'sync-server-bench': syncServerBench,
  'trainer-bench': trainerBench,
  'web-bench': webBench,
};
