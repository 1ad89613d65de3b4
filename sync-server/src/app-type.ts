// Type-only entry (`sync-server/app-type`): the web imports the routes' types, never code.
export type { AppType } from './app';
