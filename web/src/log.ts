/* eslint-disable no-console -- the one place the web app writes to the console */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const PREFIX = '[digit-loop]';
const MIN: Level = import.meta.env?.DEV ? 'debug' : 'info';

function emit(level: Level, message: string, detail?: unknown): void {
  if (ORDER[level] < ORDER[MIN]) return;
  const args = detail === undefined ? [PREFIX, message] : [PREFIX, message, detail];
  if (level === 'error') console.error(...args);
  else if (level === 'warn') console.warn(...args);
  else console.info(...args);
}

/** Level + prefix logger for the browser and the service worker. */
export const log = {
  debug: (message: string, detail?: unknown) => emit('debug', message, detail),
  info: (message: string, detail?: unknown) => emit('info', message, detail),
  warn: (message: string, detail?: unknown) => emit('warn', message, detail),
  error: (message: string, detail?: unknown) => emit('error', message, detail),
};

/** The message of anything thrown, for showing to the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unexpected error';
}
