// The trainer README's `trainer-bench` block: training speed, retrain wall time, retrain scale.
import { byCase, provenance, recorded, scaleCase, wallCase } from './block-helpers';
import { fixed, int, seconds, span, table } from './format';
import { RESULT_FILES, type Sources } from './sources';

export function trainerBench(s: Sources): string {
  return [trainingSpeed(s), '', retrainWallTime(s), '', retrainScale(s)].join('\n');
}

/** Samples per second of the shipped model, per backend, batch size and augmentation. */
function trainingSpeed(s: Sources): string {
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
  return [
    `Training speed (\`npm run bench -w trainer\`, \`bench/training-speed.ts\`) of the shipped \`buildModel()\`: ${int(last.parameters)} parameters, ${fixed(1)(last.multiplyAdds / 1e6)}M multiply-adds per digit. ${provenance(RESULT_FILES.trainingSpeed, speed)}`,
    '',
    table(['backend', 'batch', 'augment', 'samples/s'], speedRows, ['l', 'r', 'l', 'r']),
  ].join('\n');
}

/** Retrain wall time, start → published, per number of feedback samples. */
function retrainWallTime(s: Sources): string {
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
    `Retrain wall time, start → published (\`bench/retrain-wall-time.ts\`, gate opened wide), backend ${[...new Set(wall.map((r) => r.backend))].join(', ')}, peak RSS ${span(
      wall.map((r) => r.peakRssMiB),
      int,
    )} MiB. ${provenance(RESULT_FILES.retrainWallTime, wall)}`,
    '',
    table(['feedback samples', 'outcome', 'seconds'], wallRows, ['r', 'l', 'r']),
  ].join('\n');
}

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
