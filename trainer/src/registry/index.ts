// The model registry: versions in `models/`, the manifest, the retrain lock.
export { publishVersion, dateFromVersion, type PublishOptions } from './publish';
export { recordAttempt, type AttemptRecord } from './attempts';
export { readManifest, writeManifest } from './manifest-store';
export { loadVersion, listVersions, type ListedVersion } from './versions';
export { rollback } from './rollback';
export { withLock, LockBusyError, LOCK_FILE, type LockOptions } from './lock';
export { saveModelFiles, loadModelFiles, folderLoadHandler } from './model-files';
export { planPrune, KEEP_BESIDES_LIVE } from './prune';
