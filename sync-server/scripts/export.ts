import { exportNewData } from '../src/storage-pg/export';
import { withDatabase } from './pg-cli';

// `npm run export -w sync-server`: writes the database's subsets into DATA_DIR for the trainer.
await withDatabase('export', async (pool, config) => {
  const r = await exportNewData(pool, config.dataDir);
  return `${r.written.length} subsets written, ${r.kept.length} sealed ones already there, open subset ${r.count.sub_set_count} (${r.count.current_count} items) into ${config.dataDir}`;
});
