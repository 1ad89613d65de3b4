import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePixels, metadataFileSchema, statusSchema } from '../src/contract';
import { jsonOf, makeItem, postFeedback, tempDirs } from './helpers';
import { mnistTestDigits } from './mnist-digits';
import { storeCases, type CaseApp, type CaseOptions } from './store-cases';

// A digit-like item (an MNIST 1), so only what a test sets can flag it.
const ONE = encodePixels(mnistTestDigits(3)[2]!.pixels);
const digit = (overrides: Parameters<typeof makeItem>[0] = {}) =>
  makeItem({ pixels: ONE, label: 1, predicted: 1, confidence: 0.9, ...overrides });

// The same rules on both stores: the PostgreSQL store counts them in the database.
for (const store of storeCases())
  describe(`screening at ingest on the ${store.name} store`, () => {
    let dirs: ReturnType<typeof tempDirs>;
    const apps: CaseApp[] = [];
    if (!store.skip) store.hooks();
    beforeEach(() => {
      dirs = tempDirs();
    });
    afterEach(async () => {
      for (const a of apps.splice(0)) await a.close();
      dirs?.cleanup();
    });

    async function app(options: CaseOptions = {}): Promise<CaseApp> {
      const a = await store.open(dirs, { threshold: 1000, ...options });
      apps.push(a);
      return a;
    }

    // What the trainer reads: the PostgreSQL store exports it first.
    const stored = async () => {
      await store.materialize(dirs);
      return metadataFileSchema.parse(
        JSON.parse(readFileSync(join(dirs.data, 'sub_set_0', 'metadata.json'), 'utf8')),
      );
    };

    describe.skipIf(store.skip)('quotas (CLIENT_QUOTA_PER_DAY)', () => {
      it('rejects a client’s items past its quota one by one with `quota`; the batch is a 200', async () => {
        const t = await app({ screen: { quotaPerDay: 3 } });
        const clientId = randomUUID();
        const items = Array.from({ length: 5 }, () => digit({ clientId }));
        const r = await postFeedback(t.app, {
          items: [items[0], { id: 'bad' }, ...items.slice(1)],
        });
        expect(r.status).toBe(200);
        expect(r.json.accepted).toBe(3);
        expect(r.json.rejected).toEqual([
          { index: 1, id: 'bad', reason: expect.any(String) },
          { index: 4, id: items[3]!.id, reason: 'quota' },
          { index: 5, id: items[4]!.id, reason: 'quota' },
        ]);
        // A resend of what was stored is a duplicate, not a use of the quota.
        const again = await postFeedback(t.app, { items: items.slice(0, 3) });
        expect(again.json).toMatchObject({ accepted: 0, duplicates: 3, rejected: [] });
        // Other clients have their own quota.
        const other = await postFeedback(t.app, { items: [digit({ clientId: randomUUID() })] });
        expect(other.json.accepted).toBe(1);
        expect(await stored()).toHaveLength(4);
      });

      it('shares one quota per address among items without a clientId', async () => {
        let address = '10.0.0.1';
        const t = await app({ screen: { quotaPerDay: 2 }, clientKey: () => address });
        const r = await postFeedback(t.app, { items: [digit(), digit(), digit()] });
        expect(r.json.rejected.map((x: { reason: string }) => x.reason)).toEqual(['quota']);
        address = '10.0.0.2';
        expect((await postFeedback(t.app, { items: [digit()] })).json.accepted).toBe(1);
      });

      it('keeps counting after a restart: today’s answers are rebuilt from the stored entries', async () => {
        const clientId = randomUUID();
        const first = await app({ screen: { quotaPerDay: 2 } });
        await postFeedback(first.app, { items: [digit({ clientId }), digit({ clientId })] });
        await first.close();
        const second = await app({ screen: { quotaPerDay: 2 } });
        const r = await postFeedback(second.app, { items: [digit({ clientId })] });
        expect(r.json).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'quota' }] });
      });

      it('is off at 0', async () => {
        const t = await app({ screen: { quotaPerDay: 0 } });
        const clientId = randomUUID();
        const r = await postFeedback(t.app, {
          items: Array.from({ length: 100 }, () => digit({ clientId })),
        });
        expect(r.json.accepted).toBe(100);
      });
    });

    describe.skipIf(store.skip)('flags at ingest', () => {
      it('stores flags, client_id and received_at in the metadata entry', async () => {
        const t = await app({ screen: { burstPerHour: 2 } });
        const clientId = randomUUID();
        const items = [
          digit({ clientId, label: 7, predicted: 1, confidence: 0.995 }),
          digit({ clientId, pixels: encodePixels(new Uint8Array(784)) }),
          digit({ clientId }),
          digit({ clientId: randomUUID() }),
        ];
        const r = await postFeedback(t.app, { items });
        expect(r.json.accepted).toBe(4);
        const meta = await stored();
        expect(meta.map((e) => e.flags ?? [])).toEqual([
          ['confident_disagreement'],
          ['not_digit_like'],
          ['burst'],
          [],
        ]);
        expect(meta[0]).toMatchObject({ client_id: clientId, received_at: expect.any(Number) });
        const status = statusSchema.parse(await jsonOf(t.app.request('/api/status')));
        expect(status.review).toEqual({ pending: 3 });
      });

      it('never flags a lone person answering a few dozen real digits (defaults: 500/day, 60/hour)', async () => {
        const t = await app({ screen: { quotaPerDay: 500, burstPerHour: 60 } });
        const clientId = randomUUID();
        // 48 MNIST digits, sent as the app syncs them: a few per batch. The model is right with
        // high confidence mostly; the person corrects where it was unsure.
        const digits = mnistTestDigits(48);
        for (let at = 0; at < digits.length; at += 6) {
          const items = digits.slice(at, at + 6).map(({ pixels, label }, i) => {
            const wrong = (at + i) % 9 === 0;
            return makeItem({
              pixels: encodePixels(pixels),
              label,
              predicted: wrong ? (label + 1) % 10 : label,
              confidence: wrong ? 0.62 : 0.999,
              clientId,
            });
          });
          const r = await postFeedback(t.app, { items });
          expect(r.json).toMatchObject({ accepted: 6, rejected: [] });
        }
        expect((await stored()).filter((e) => e.flags)).toEqual([]);
        const status = statusSchema.parse(await jsonOf(t.app.request('/api/status')));
        expect(status.review).toEqual({ pending: 0 });
      });
    });
  });
