import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DISPUTED_FILE,
  encodePixels,
  reviewPageSchema,
  type HeldBackEntry,
  type HeldBackFlag,
  type ReviewState,
} from '../src/contract';
import { appendHeldBack, readHeldBack, readReviewDecisions } from '../src/registry';
import { jsonOf, makeItem, postFeedback, tempDirs } from './helpers';
import { mnistTestDigits } from './mnist-digits';
import { storeCases, type CaseApp } from './store-cases';

// Answers the trainer held back (new_data/disputed.jsonl) wait for review like flagged ones,
// on both stores: the PostgreSQL store takes the file's lines into the database, so every
// replica lists them and a later export hands them to a trainer on another replica.
const TOKEN = 'held-back-admin-token';
const asAdmin = { authorization: `Bearer ${TOKEN}` };

for (const store of storeCases())
  describe.skipIf(store.skip)(`answers the trainer held back, ${store.name} store`, () => {
    let dirs: ReturnType<typeof tempDirs>;
    let t: CaseApp;
    if (!store.skip) store.hooks();
    beforeEach(async () => {
      dirs = tempDirs();
      t = await store.open(dirs, { adminToken: TOKEN, threshold: 1000 });
    });
    afterEach(async () => {
      await t?.close();
      dirs?.cleanup();
    });

    /** Real MNIST digits, answered as the model said: stored unflagged. */
    async function storeDigits(n: number): Promise<string[]> {
      const items = mnistTestDigits(n).map(({ pixels, label }) =>
        makeItem({ pixels: encodePixels(pixels), label, predicted: label, confidence: 0.9 }),
      );
      expect((await postFeedback(t.app, { items })).json.accepted).toBe(n);
      return items.map((i) => i.id);
    }

    const entry = (id: string, flag: HeldBackFlag = 'disputed'): HeldBackEntry => ({
      id,
      flag,
      at: '2026-11-30T00:00:00.000Z',
      model: '2026-11-26T12-00-00-000Z',
    });
    const list = async (state: ReviewState) =>
      reviewPageSchema.parse(
        await jsonOf(t.app.request(`/api/admin/review?state=${state}`, { headers: asAdmin })),
      );
    const pending = async () =>
      (await jsonOf(t.app.request('/api/status'))).review.pending as number;

    it('are listed as pending with their flag, once each, and counted in /api/status', async () => {
      const [a, b, c] = await storeDigits(3);
      expect(await pending()).toBe(0);
      // An id the server never stored (another replica's, say) is no item to review.
      await appendHeldBack(dirs.data, [
        entry(a!),
        entry(b!, 'distrusted_client'),
        entry(randomUUID()),
      ]);
      expect(await pending()).toBe(2);
      // Written again (a second run): the file holds it once, the book counts it once.
      expect(await appendHeldBack(dirs.data, [entry(a!), entry(c!)])).toEqual([entry(c!)]);
      const page = await list('pending');
      expect(page.pending).toBe(3);
      expect(page.items.map((i) => [i.id, i.flags])).toEqual([
        [a, ['disputed']],
        [b, ['distrusted_client']],
        [c, ['disputed']],
      ]);
    });

    it('adds its flag to an answer flagged at ingest without counting it twice', async () => {
      const flagged = makeItem({ label: 4, predicted: 9, confidence: 0.995 });
      await postFeedback(t.app, { items: [flagged] });
      expect(await pending()).toBe(1);
      await appendHeldBack(dirs.data, [entry(flagged.id)]);
      const page = await list('pending');
      expect(page.pending).toBe(1);
      expect(page.items[0]!.flags).toEqual([
        'confident_disagreement',
        'not_digit_like',
        'disputed',
      ]);
    });

    it('waits for a line the trainer is still writing, then reads it', async () => {
      const [a, b] = await storeDigits(2);
      await appendHeldBack(dirs.data, [entry(a!)]);
      const line = JSON.stringify(entry(b!));
      appendFileSync(join(dirs.data, DISPUTED_FILE), line.slice(0, 20));
      expect(await pending()).toBe(1);
      appendFileSync(join(dirs.data, DISPUTED_FILE), `${line.slice(20)}\n`);
      expect(await pending()).toBe(2);
    });

    it('take decisions like flagged answers, and the book rebuilds them on restart', async () => {
      const [a, b] = await storeDigits(2);
      await appendHeldBack(dirs.data, [entry(a!), entry(b!)]);
      const r = await t.app.request('/api/admin/review', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asAdmin },
        body: JSON.stringify({ ids: [a], decision: 'accept' }),
      });
      expect(await r.json()).toEqual({ decided: 1, unknown: [], pending: 1 });
      await store.materializeReview(dirs);
      expect((await readReviewDecisions(dirs.data)).map((d) => d.id)).toEqual([a]);
      await t.close();
      t = await store.open(dirs, { adminToken: TOKEN, threshold: 1000 });
      expect(await pending()).toBe(1);
      expect((await list('accepted')).items.map((i) => [i.id, i.flags])).toEqual([
        [a, ['disputed']],
      ]);
      expect((await list('pending')).items.map((i) => i.id)).toEqual([b]);
    });

    it.runIf(store.kind === 'postgres')(
      'reach a retrain on another replica: the export writes them into its new_data/',
      async () => {
        const [a, b] = await storeDigits(2);
        await appendHeldBack(dirs.data, [entry(a!), entry(b!, 'distrusted_client')]);
        expect(await pending()).toBe(2);
        const other = tempDirs();
        try {
          await store.materialize(other);
          expect((await readHeldBack(other.data)).map((e) => [e.id, e.flag])).toEqual([
            [a, 'disputed'],
            [b, 'distrusted_client'],
          ]);
          // Exported again, nothing is written twice.
          await store.materialize(other);
          expect(await readHeldBack(other.data)).toHaveLength(2);
        } finally {
          other.cleanup();
        }
      },
    );
  });
