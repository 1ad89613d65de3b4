// The generated README blocks: `<!-- figures:ID -->` … `<!-- /figures -->`, one renderer per ID.
import { lighthouse } from './lighthouse';
import { personalBench } from './personal-blocks';
import { poison, replay, replayDefaults } from './replay-blocks';
import type { Sources } from './sources';
import { summary } from './summary-block';
import { serverStartup, syncServerBench } from './sync-server-blocks';
import { trainerBench } from './trainer-blocks';
import { webBench } from './web-blocks';

export const BLOCKS: Record<string, (s: Sources) => string> = {
  lighthouse,
  'personal-bench': personalBench,
  summary,
  replay,
  'replay-defaults': replayDefaults,
  poison,
  'server-startup': serverStartup,
  'sync-server-bench': syncServerBench,
  'trainer-bench': trainerBench,
  'web-bench': webBench,
};
