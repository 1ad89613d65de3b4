// The contract between web, sync-server and trainer: every shape that crosses a boundary.
export * from './pixels';
export * from './mnist-format';
export * from './feedback';
export * from './new-data';
export * from './manifest';
export * from './status';
export * from './retrain';
export * from './spa-routes';
export * from './review';
export * from './api';
export * from './env';
export * from './stats';
