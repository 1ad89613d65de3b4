import { describe, expect, it } from 'vitest';
import { argmax } from './blend';
import type { MemoryEntry } from './memory-db';
import { applyHand, isPlain, type Classify } from './hand';
import { lean, leaning } from './hand.fixtures';
import { PersonalMemory, type MemoryStore, type ModelView } from './personal-memory';
import { personalize } from './personalize';

function memoryStore(initial: MemoryEntry[] = []): MemoryStore & { entries: MemoryEntry[] } {
  const s = {
    entries: [...initial],
    add: async (e: MemoryEntry) => void s.entries.push(e),
    remove: async (id: string) => {
      const before = s.entries.length;
      s.entries = s.entries.filter((e) => e.answerId !== id);
      return s.entries.length < before;
    },
    all: async () => [...s.entries],
    clear: async () => void (s.entries = []),
  };
  return s;
}

const digit = (seed: number) => Uint8Array.from({ length: 784 }, (_, i) => (i * seed) % 256);
/** A model that reads every digit as 1, with an embedding taken from the pixels. */
const model =
  (tag: number, calls: string[] = []) =>
  async (pixels: Uint8Array): Promise<ModelView> => {
    calls.push(`v${tag}`);
    return {
      probabilities: Float32Array.from({ length: 10 }, (_, i) => (i === 1 ? 0.91 : 0.01)),
      embedding: Float32Array.of(pixels[1]! + tag, pixels[2]!, pixels[3]!, 1),
    };
  };

describe('PersonalMemory', () => {
  it('reads a corrected digit right the next time it is drawn the same way', async () => {
    const memory = new PersonalMemory(memoryStore());
    const embed = model(0);
    const view = await embed(digit(3));
    await memory.remember({ pixels: digit(3), label: 7 }, view, 'v1');
    const out = personalize(view.probabilities, view.embedding, memory.model('v1'));
    expect(argmax(out.probabilities)).toBe(7);
    expect(out.personal).toBe(true);
    expect(memory.model('v2')).toBeNull(); // another model: nothing embedded for it yet
  });

  it('recomputes every embedding from the stored pixels when the model changes', async () => {
    const store = memoryStore([
      { pixels: digit(3), label: 7, createdAt: 1 },
      { pixels: digit(5), label: 4, createdAt: 2 },
    ]);
    const memory = new PersonalMemory(store);
    const calls: string[] = [];
    await memory.reembed('v1', model(0, calls));
    expect(memory.model('v1')!.index!.count).toBe(2);
    await memory.reembed('v2', model(50, calls));
    expect(calls).toEqual(['v0', 'v0', 'v50', 'v50']);
    const v2 = memory.model('v2')!.index!;
    const fresh = await model(50)(digit(3));
    const norm = Math.hypot(...fresh.embedding!);
    expect(v2.vectors[0]).toBeCloseTo(fresh.embedding![0]! / norm, 5);
    expect(memory.model('v1')).toBeNull(); // v1 rows were all replaced
  });

  it('takes an undone answer back: the drawing is read as before, the head exactly so', async () => {
    const store = memoryStore();
    const memory = new PersonalMemory(store);
    const embed = model(0);
    await memory.remember(
      { pixels: digit(100), label: 4, answerId: 'a' },
      await embed(digit(100)),
      'v1',
    );
    const view = await embed(digit(3));
    const before = personalize(view.probabilities, view.embedding, memory.model('v1'));
    await memory.remember({ pixels: digit(3), label: 7, answerId: 'b' }, view, 'v1');
    expect(
      argmax(personalize(view.probabilities, view.embedding, memory.model('v1')).probabilities),
    ).toBe(7);

    expect(await memory.forget('b')).toBe(true);
    const after = personalize(view.probabilities, view.embedding, memory.model('v1'));
    expect(after).toEqual(before);
    expect(store.entries.map((e) => e.answerId)).toEqual(['a']);
    expect(Array.from(memory.model('v1')!.index!.labels)).toEqual([4]);
    expect(await memory.forget('b')).toBe(false);
  });

  it('takes back an older answer too, relearning the head without it', async () => {
    const store = memoryStore();
    const memory = new PersonalMemory(store);
    const embed = model(0);
    for (const [id, l] of [
      ['a', 7],
      ['b', 4],
    ] as const) {
      await memory.remember(
        { pixels: digit(l), label: l, answerId: id },
        await embed(digit(l)),
        'v1',
      );
    }
    await memory.forget('a');
    const alone = new PersonalMemory(memoryStore());
    await alone.remember({ pixels: digit(4), label: 4 }, await embed(digit(4)), 'v1');
    const view = await embed(digit(7));
    expect(personalize(view.probabilities, view.embedding, memory.model('v1'))).toEqual(
      personalize(view.probabilities, view.embedding, alone.model('v1')),
    );
    expect(store.entries.map((e) => e.label)).toEqual([4]);
  });

  it('stops a recompute once its model is no longer in use', async () => {
    const store = memoryStore([1, 2, 3].map((l) => ({ pixels: digit(l), label: l, createdAt: l })));
    const memory = new PersonalMemory(store);
    let left = 1;
    const embed = model(0);
    await memory.reembed('v1', async (p) => (left-- > 0 ? embed(p) : null));
    expect(memory.model('v1')!.index!.count).toBe(1);
  });

  it('keeps the newest `cap` answers and forgets them all on clear', async () => {
    const store = memoryStore();
    const memory = new PersonalMemory(store, 2);
    const embed = model(0);
    for (const l of [1, 2, 3]) {
      await memory.remember({ pixels: digit(l), label: l }, await embed(digit(l)), 'v1');
    }
    expect(memory.size).toBe(2);
    expect(Array.from(memory.model('v1')!.index!.labels)).toEqual([2, 3]);
    await memory.clear();
    expect(memory.size).toBe(0);
    expect(memory.model('v1')).toBeNull();
    expect(store.entries).toEqual([]);
  });

  it('does not bring answers back when a read started before clear ends after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store = memoryStore([{ pixels: digit(1), label: 1, createdAt: 1 }]);
    const slowAll = store.all;
    store.all = async () => {
      const entries = await slowAll();
      await gate;
      return entries;
    };
    const memory = new PersonalMemory(store);
    const loading = memory.load();
    await memory.clear();
    release();
    await loading;
    expect(memory.size).toBe(0);
  });

  describe('the hand', () => {
    /** Reads a bar as 1 when upright, 7 the more it leans; the embedding is the lean itself. */
    const read = (img: Uint8Array): ModelView => {
      const one = Math.exp(-((lean(img) / 12) ** 2));
      return {
        probabilities: Float32Array.from({ length: 10 }, (_, c) =>
          c === 1 ? one : c === 7 ? 1 - one : 0,
        ),
        embedding: Float32Array.of(1, lean(img) / 45),
      };
    };
    const embedded: Uint8Array[] = [];
    const embed = async (img: Uint8Array) => (embedded.push(img), read(img));
    const classify: Classify = async (images) => images.map((i) => read(i).probabilities);

    it('is fitted on load and every answer is embedded through it', async () => {
      const store = memoryStore(leaning(20, 10).map((a, i) => ({ ...a, createdAt: i })));
      const memory = new PersonalMemory(store);
      embedded.length = 0;
      await memory.reembed('v1', embed, classify);
      const hand = memory.hand('v1');
      expect(hand.rotationDeg).toBeLessThan(-10);
      expect(embedded).toHaveLength(10);
      for (const img of embedded) expect(Math.abs(lean(img))).toBeLessThan(8);
      expect(memory.model('v1')!.index!.count).toBe(10);
      expect(memory.model('v1', { rotationDeg: 0, slant: 0, aspect: 1 })).toBeNull();
      expect(isPlain(memory.hand('v2'))).toBe(true);
    });

    it('is fitted once enough answers come in, and every row is then seen through it', async () => {
      const memory = new PersonalMemory(memoryStore());
      await memory.reembed('v1', embed, classify);
      for (const answer of leaning(20, 8)) {
        await memory.remember(answer, read(answer.pixels), 'v1', memory.hand('v1'));
      }
      await memory.settled();
      expect(memory.hand('v1').rotationDeg).toBeLessThan(-10);
      const index = memory.model('v1')!.index!;
      expect(index.count).toBe(8);
      // Every row is the view through the hand: upright bars, read as 1.
      for (let r = 0; r < index.count; r++)
        expect(Math.abs(index.vectors[r * 2 + 1]!)).toBeLessThan(0.2);
      const next = leaning(20, 1)[0]!;
      const seen = applyHand(next.pixels, memory.hand('v1'));
      expect(argmax(read(seen).probabilities)).toBe(1);
      expect(argmax(read(next.pixels).probabilities)).toBe(7);
    });

    it('is forgotten with the answers', async () => {
      const store = memoryStore(leaning(20, 10).map((a, i) => ({ ...a, createdAt: i })));
      const memory = new PersonalMemory(store);
      await memory.reembed('v1', embed, classify);
      expect(isPlain(memory.hand('v1'))).toBe(false);
      await memory.clear();
      expect(isPlain(memory.hand('v1'))).toBe(true);
    });

    it('is not fitted without a way to classify (the model alone)', async () => {
      const store = memoryStore(leaning(20, 10).map((a, i) => ({ ...a, createdAt: i })));
      const memory = new PersonalMemory(store);
      await memory.reembed('v1', embed);
      expect(isPlain(memory.hand('v1'))).toBe(true);
    });
  });
});
