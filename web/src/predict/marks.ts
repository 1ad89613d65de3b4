// User Timing names the app records; the benchmark reads them (standard performance API).
/** Marked once the model is loaded, warmed up and a prediction can run. */
export const READY_MARK = 'digit-loop:model-ready';
/** Measured around every prediction (model call and reading its output). */
export const PREDICT_MEASURE = 'digit-loop:predict';
/** Marked when the personal memory is embedded under the model in use (the bench waits on it). */
export const PERSONAL_READY_MARK = 'digit-loop:personal-ready';
