/** Trainer log lines: `[trainer] level message`, to stderr so stdout stays for results. */
type Level = 'debug' | 'info' | 'warn' | 'error';

export function log(level: Level, message: string): void {
  process.stderr.write(`[trainer] ${level} ${message}\n`);
}
