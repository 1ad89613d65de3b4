import { describe, expect, it } from 'vitest';
import { firstInput } from './first-input';

describe('firstInput', () => {
  it.each(['pointerdown', 'touchstart', 'keydown'])('resolves at the first %s', async (type) => {
    const target = new EventTarget();
    const seen: string[] = [];
    const input = firstInput(target).then(() => seen.push('input'));
    target.dispatchEvent(new Event('pointermove'));
    target.dispatchEvent(new Event(type));
    await input;
    expect(seen).toEqual(['input']);
  });

  it('stops listening once the input came', async () => {
    const target = new EventTarget();
    let removed = 0;
    const remove = target.removeEventListener.bind(target);
    target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => {
      removed++;
      remove(...args);
    };
    const input = firstInput(target);
    target.dispatchEvent(new Event('keydown'));
    await input;
    expect(removed).toBe(3);
  });
});
