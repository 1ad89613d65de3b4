// What every benchmark writes to its committed results file, and the one writer they share.
// The README figures are rendered from these files (`npm run docs`), never typed by hand.
export * from './record';
export * from './results-base';
export * from './results-server';
export * from './results-trainer';
export * from './results-web';
