// The web README's `web-bench` block: predictions, page load, JS and model size in the browser.
import { p50p95, provenance } from './block-helpers';
import { fixed, int, seconds, span, table } from './format';
import type { Figure } from './results';
import { RESULT_FILES, type Sources } from './sources';

type WebRuns = Sources['web'];

/** One figure (`key`) of every run. */
const each = <K extends keyof WebRuns[number]>(runs: WebRuns, key: K) =>
  runs.map((r) => r[key] as Figure);

export function webBench(s: Sources): string {
  const runs = s.web;
  return [
    provenance(RESULT_FILES.web, runs),
    '',
    table(
      ['figure', 'value', 'target'],
      [
        ...predictRows(runs),
        autoRow(runs),
        ...readyRows(runs),
        ...jsRows(runs),
        ...personalRows(runs),
        ['model bytes', `${span(each(runs, 'modelKB'), int)} KB`, ''],
      ],
    ),
  ].join('\n');
}

/** One row per backend the backend measurement timed. */
function predictRows(runs: WebRuns): string[][] {
  const backends = [...new Set(runs.flatMap((r) => r.predict.map((p) => p.backend)))];
  return backends.map((backend) => {
    const entries = runs.flatMap((r) => r.predict.filter((p) => p.backend === backend));
    const counts = span(
      entries.map((e) => e.runs),
      int,
    );
    return [
      `single prediction, ${backend}, in the backend measurement`,
      `${p50p95(entries)}${counts === '–' ? '' : ` (${counts} predictions)`}`,
      '',
    ];
  });
}

/** A drawn digit's prediction on the page, with the backend the page chose. */
function autoRow(runs: WebRuns): string[] {
  const chosen = [...new Set(runs.map((r) => r.auto.backend))].join(', ');
  return [
    `single prediction, auto-chosen (${chosen}), on the page`,
    `${p50p95(runs.map((r) => r.auto))} (${span(
      runs.map((r) => r.auto.digits),
      int,
    )} drawn digits per run)`,
    '≤ 1 ms',
  ];
}

/** Navigation → first prediction ready, cold and warm offline. */
function readyRows(runs: WebRuns): string[][] {
  return [
    [
      'navigation → first prediction ready, cold',
      `median ${span(each(runs, 'coldReadyMedianMs'), seconds(2))} s (slowest single load ${span(each(runs, 'coldReadySlowestMs'), seconds(2))} s)`,
      '≤ 2 s',
    ],
    [
      'navigation → first prediction ready, warm, offline',
      `median ${span(each(runs, 'warmOfflineReadyMedianMs'), seconds(2))} s`,
      '',
    ],
  ];
}

/** The entry chunk, and all the JS loaded before the first prediction. */
function jsRows(runs: WebRuns): string[][] {
  return [
    [
      'initial JS (entry chunk)',
      `${span(each(runs, 'initialJsGzipKB'), fixed(1))} KB gzip`,
      '≤ 500 KB',
    ],
    [
      'JS loaded before the first prediction',
      `${span(each(runs, 'jsToFirstPredictionGzipKB'), fixed(1))} KB gzip (${span(each(runs, 'jsToFirstPredictionRawKB'), int)} KB raw)`,
      '',
    ],
  ];
}

/** The prediction time with a full personal memory, from the runs that measured it. */
function personalRows(runs: WebRuns): string[][] {
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
      `${p50p95(measured)} (${span(
        measured.map((p) => p.digits),
        int,
      )} drawn digits per run, ${measured.length} of ${runs.length} runs)`,
      '≤ 1 ms',
    ],
  ];
}
