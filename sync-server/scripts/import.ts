import { importNewData } from '../src/storage-pg/import';
import { withDatabase } from './pg-cli';

// `npm run import -w sync-server`: loads DATA_DIR (ours or the original system's) into the
// database; running it again changes nothing.
await withDatabase('import', async (pool, config) => {
  const r = await importNewData(pool, config.dataDir, config.threshold);
  return `${r.subsets} subsets read from ${config.dataDir}: ${r.inserted} entries imported, ${r.present} already present, ${r.decisions} review decisions imported`;
});
