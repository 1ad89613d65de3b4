// The on-disk protocol shared by the server and the trainer (Node only; the browser never
// imports it): the retrain lock, durable writes, the manifest, rollback, the seal rule and
// review decisions. Neither process keeps a private copy of these rules.
export {
  appendLineSynced,
  fsyncDir,
  isErrno,
  isTempFileName,
  readTextIfExists,
  replaceFileAtomic,
  tempPathFor,
  TEMP_SUFFIX,
  writeFileSynced,
} from './durable-fs';
export { appendHeldBack, readHeldBack } from './disputed';
export { cutTornLastLine, readJsonLines, readJsonLinesFrom, type JsonLinesTail } from './jsonl';
export {
  DEFAULT_STALE_MS,
  isAlive,
  LOCK_FILE,
  LockBusyError,
  withRetrainLock,
  type LockOptions,
} from './lock';
export {
  parseManifest,
  readHistoryLog,
  readManifest,
  writeManifest,
  type ParsedManifest,
} from './manifest-file';
export {
  checkModelFolder,
  loadModelFiles,
  loadTf,
  MODEL_JSON,
  saveModelFiles,
  WEIGHTS_FILE,
} from './model-folder';
export {
  appendReviewDecision,
  appendReviewDecisions,
  latestDecisions,
  readReviewDecisions,
} from './review';
export { rollback, RollbackError, type RollbackOptions } from './rollback';
export { openIndexFor, openSubsetIndex, readCountFile } from './seal';
