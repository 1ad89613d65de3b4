import { SingleBar } from 'cli-progress';
import type { FitProgress } from './fit';

/** A whole-run progress bar with ETA on stderr; logs a line every 30 s when stderr is not a TTY. */
export function createProgressBar(epochs: number, batches: number, epoch: number, batch: number) {
  const bar = new SingleBar({
    format:
      '{bar} {percentage}% | epoch {epoch}/{epochs} batch {batch}/{batches} | ETA {eta_formatted} | loss {loss} acc {acc} | {sps} samples/s',
    stream: process.stderr,
    etaBuffer: 200,
    fps: 2,
    noTTYOutput: true,
    notTTYSchedule: 30_000,
    hideCursor: true,
  });
  const fields = { epoch: epoch + 1, epochs, batch, batches, loss: '-', acc: '-', sps: '-' };
  bar.start(epochs * batches, epoch * batches + batch, fields);
  return {
    update(p: FitProgress): void {
      bar.update(p.epoch * p.batches + p.batch, {
        epoch: p.epoch + 1,
        epochs: p.epochs,
        batch: p.batch,
        batches: p.batches,
        loss: p.loss.toFixed(4),
        acc: (p.acc * 100).toFixed(2),
        sps: p.samplesPerSec.toFixed(0),
      });
    },
    stop: () => bar.stop(),
  };
}
