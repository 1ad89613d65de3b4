// The `lighthouse` README block: every kept run of `npm run bench:lighthouse -w web`, a row per
// form factor, each row the median of that run's Lighthouse runs.
import { fixed, int, loadSpan, machineLine, span, table, dates } from './format';
import { RESULT_FILES, type Sources } from './sources';

export function lighthouse(s: Sources): string {
  const runs = s.lighthouse;
  const rows = runs.flatMap((run) =>
    run.formFactors.map((f) => [
      `${run.date.slice(0, 10)}, ${loadSpan([run.machine])}`,
      f.formFactor,
      span([f.performance], int),
      span([f.accessibility], int),
      span([f.bestPractices], int),
      span([f.seo], int),
      span([f.fcpMs], int),
      span([f.lcpMs], int),
      span([f.tbtMs], int),
      span([f.cls], fixed(3)),
      span([f.transferKB], int),
      span([f.runs], int),
    ]),
  );
  const versions = [...new Set(runs.map((r) => r.lighthouse))].join(', ');
  const count = runs.length;
  return [
    `From \`${RESULT_FILES.lighthouse}\`: ${count} run${count === 1 ? '' : 's'} on ${dates(runs)}, ` +
      `${machineLine(runs.map((r) => r.machine))}, Lighthouse ${versions}. ` +
      'Each row is the median of that run’s Lighthouse runs, each on a fresh profile.',
    '',
    table(
      [
        'run',
        'form factor',
        'performance',
        'accessibility',
        'best practices',
        'SEO',
        'FCP ms',
        'LCP ms',
        'TBT ms',
        'CLS',
        'transfer KB',
        'runs',
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
}
