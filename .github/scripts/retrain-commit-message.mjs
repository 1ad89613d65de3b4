// Prints the commit message for models/ after a retrain, from the trainer's --report file:
// the version and its metrics when published, the reason when rejected.
// Usage: node .github/scripts/retrain-commit-message.mjs <report.json>
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const m = report.metrics ?? {};
const pct = (v) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : 'n/a');
const score = (name, candidate, live) =>
  `${name} ${pct(candidate)}${typeof live === 'number' ? ` (live ${pct(live)})` : ''}`;
const mnist = score(
  'MNIST test',
  m.candidateMnistTestAccuracy ?? m.mnistTestAccuracy,
  m.liveMnistTestAccuracy,
);
const holdout = score(
  'holdout',
  m.candidateHoldoutAccuracy ?? m.holdoutAccuracy,
  m.liveHoldoutAccuracy,
);
const subsets =
  Array.isArray(report.subsets) && report.subsets.length > 0
    ? ` on subsets ${report.subsets.join(', ')}`
    : '';
const subject =
  report.outcome === 'published'
    ? `Publish model ${report.version}: ${mnist}, ${holdout}`
    : `Record ${report.outcome} retrain attempt${subsets}: ${report.reason ?? 'no reason given'}`;
const body =
  report.outcome === 'published' && report.reason
    ? `\n\nTrained${subsets}. Gate: ${report.reason}`
    : '';
process.stdout.write(`${subject}${body}\n`);
