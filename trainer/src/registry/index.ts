// The trainer's side of the model registry: publishing, pruning, listing. The protocol it
// shares with the server (lock, manifest, rollback, model folders) lives in `sync-server/registry`.
export { publishVersion, dateFromVersion, type PublishOptions } from './publish';
export { recordAttempt, type AttemptRecord } from './attempts';
export { loadVersion, listVersions, type ListedVersion } from './versions';
export { planPrune, KEEP_BESIDES_LIVE } from './prune';
