// Worker threads for training and scoring: the main side (`WorkerThread`) and the worker side
// (`serve`) of one request/reply protocol that never leaves a caller hanging on a dead worker.
export { WorkerThread, type StartOptions } from './client';
export { serve } from './serve';
export type { Reply } from './protocol';
