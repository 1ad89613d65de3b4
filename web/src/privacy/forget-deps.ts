import { renewClientId } from '../feedback/client-id';
import { clearPersonalMemory } from '../memory/use-personal-memory';
import { clearLocalAnswers } from './clear-answers';
import type { ForgetDeps } from './forget';

/** The app's real pieces: local answers, the personal memory, and a new anonymous id. */
export function appForgetDeps(): ForgetDeps {
  return {
    clearAnswers: () => clearLocalAnswers(),
    clearPersonalMemory: () => clearPersonalMemory(),
    renewClientId: async () => void (await renewClientId()),
  };
}
