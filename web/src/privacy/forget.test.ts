import { describe, expect, it } from 'vitest';
import { forgetEverything, type ForgetDeps } from './forget';

function fakes(failing: (keyof ForgetDeps)[] = []) {
  const done: string[] = [];
  const piece = (name: keyof ForgetDeps) => async () => {
    if (failing.includes(name)) throw new Error(`${name} broke`);
    done.push(name);
  };
  const deps: ForgetDeps = {
    clearAnswers: piece('clearAnswers'),
    clearPersonalMemory: piece('clearPersonalMemory'),
    renewClientId: piece('renewClientId'),
  };
  return { deps, done };
}

describe('forgetEverything', () => {
  it('clears the answers and the personal memory and renews the id', async () => {
    const { deps, done } = fakes();
    expect(await forgetEverything(deps)).toEqual({ failed: [] });
    expect(done.sort()).toEqual(['clearAnswers', 'clearPersonalMemory', 'renewClientId']);
  });

  it('still runs the other pieces when one fails, and names the one that failed', async () => {
    const { deps, done } = fakes(['clearPersonalMemory']);
    const report = await forgetEverything(deps);
    expect(done.sort()).toEqual(['clearAnswers', 'renewClientId']);
    expect(report.failed).toEqual([
      { piece: 'clearPersonalMemory', message: 'clearPersonalMemory broke' },
    ]);
  });
});
