import { clearLocalAnswers } from './clear-answers';
import type { ForgetDeps } from './forget';

/**
 * The app's real pieces. The anonymous id (its renew function, in feedback/) and the personal
 * memory (`predict/`, clear) come from their own modules; until those are wired here, these
 * two have nothing on this device to forget.
 */
export function appForgetDeps(): ForgetDeps {
  return {
    clearAnswers: () => clearLocalAnswers(),
    clearPersonalMemory: async () => undefined,
    renewClientId: async () => undefined,
  };
}
