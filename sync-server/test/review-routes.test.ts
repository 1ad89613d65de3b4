import { randomUUID } from 'node:crypto';
import { appendFileSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  pngFileName,
  reviewPageSchema,
  reviewResponseSchema,
  subsetDirName,
  type MetadataEntry,
  type ReviewState,
} from '../src/contract';
import { encodeMnistPng } from '../src/storage/png';
import { readReviewDecisions } from '../src/registry';
import { capturingLogger, jsonOf, makeItem, postFeedback, tempDirs } from './helpers';
import { storeCases, type CaseApp } from './store-cases';

const TOKEN = 'review-admin-token';
const asAdmin = { authorization: `Bearer ${TOKEN}` };

// The same routes on both stores: the file store keeps decisions in new_data/review.jsonl,
// the PostgreSQL store in the database and exports them there for the trainer.
for (const store of storeCases())
  describe.skipIf(store.skip)(`admin review routes on the ${store.name} store`, () => {
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

    // The decisions as the trainer reads them (the PostgreSQL store exports them first).
    const decisions = async () => {
      await store.materializeReview(dirs);
      return readReviewDecisions(dirs.data);
    };

    // makeItem's uniform gray pad is no digit: every item it makes is flagged `not_digit_like`.
    async function storeFlagged(n: number, clientId?: string): Promise<string[]> {
      const ids: string[] = [];
      for (let at = 0; at < n; at += 100) {
        const items = Array.from({ length: Math.min(100, n - at) }, () =>
          makeItem(clientId ? { clientId } : {}),
        );
        const r = await postFeedback(t.app, { items });
        expect(r.json.accepted).toBe(items.length);
        ids.push(...items.map((i) => i.id));
      }
      return ids;
    }

    /**
     * `n` flagged items written straight into one subset folder, and the app reopened on it:
     * storing them through the route would fsync 10,000 PNGs, which is no part of what is tested.
     */
    async function seedFlagged(n: number): Promise<string[]> {
      await t.close();
      const dir = join(dirs.data, subsetDirName(0));
      mkdirSync(dir, { recursive: true });
      const png = encodeMnistPng(new Uint8Array(784));
      const entries: MetadataEntry[] = Array.from({ length: n }, (_, i) => {
        const id = randomUUID();
        const createdAt = Date.UTC(2026, 10, 29) + i;
        return {
          filename: pngFileName(1, createdAt, id),
          true_label: 1,
          created_at: createdAt,
          source: 'web_feedback',
          id,
          flags: ['burst'],
        };
      });
      // Hard links to one PNG: creating 10,000 files' data is slow on a busy disk.
      const one = join(dirs.root, 'one.png');
      writeFileSync(one, png);
      for (const e of entries) linkSync(one, join(dir, e.filename));
      writeFileSync(join(dir, 'metadata.json'), JSON.stringify(entries));
      await store.seed(dirs, n + 1);
      t = await store.open(dirs, { adminToken: TOKEN, threshold: n + 1 });
      return entries.map((e) => e.id!);
    }

    const decide = (body: unknown, headers: Record<string, string> = asAdmin, app = t) =>
      app.app.request('/api/admin/review', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const list = async (state: ReviewState, cursor?: string) =>
      reviewPageSchema.parse(
        await jsonOf(
          t.app.request(`/api/admin/review?state=${state}${cursor ? `&cursor=${cursor}` : ''}`, {
            headers: asAdmin,
          }),
        ),
      );

    async function listAll(state: ReviewState): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list(state, cursor);
        ids.push(...page.items.map((i) => i.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      return ids;
    }

    it('answer 401 without or with a wrong token, and 403 while no ADMIN_TOKEN is set', async () => {
      const [id] = await storeFlagged(1);
      expect((await t.app.request('/api/admin/review')).status).toBe(401);
      expect((await decide({ ids: [id], decision: 'accept' }, {})).status).toBe(401);
      const wrong = { authorization: 'Bearer nope-nope-nope' };
      expect(
        (await t.app.request(`/api/admin/review/${id}/image`, { headers: wrong })).status,
      ).toBe(401);
      const off = await store.open(dirs, { adminToken: null });
      expect((await off.app.request('/api/admin/review', { headers: asAdmin })).status).toBe(403);
      expect((await decide({ ids: [id], decision: 'accept' }, asAdmin, off)).status).toBe(403);
      await off.close();
      expect(await decisions()).toEqual([]);
    });

    it('list flagged items with label, prediction, client, flags and an image behind the token', async () => {
      const clientId = randomUUID();
      const item = makeItem({ clientId, label: 4, predicted: 9, confidence: 0.995 });
      await postFeedback(t.app, { items: [item] });
      const page = await list('pending');
      expect(page).toMatchObject({ pending: 1, next: null });
      expect(page.items).toEqual([
        {
          id: item.id,
          label: 4,
          predicted: 9,
          confidence: 0.995,
          clientId,
          flags: ['confident_disagreement', 'not_digit_like'],
          createdAt: item.createdAt,
          state: 'pending',
          imageUrl: `/api/admin/review/${item.id}/image`,
        },
      ]);
      const image = await t.app.request(page.items[0]!.imageUrl, { headers: asAdmin });
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(
        Buffer.from(await image.arrayBuffer())
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect((await t.app.request(page.items[0]!.imageUrl)).status).toBe(401);
      const none = await t.app.request(`/api/admin/review/${randomUUID()}/image`, {
        headers: asAdmin,
      });
      expect(none.status).toBe(404);
    });

    it('records decisions durably, moves items between states and counts pending', async () => {
      const ids = await storeFlagged(3);
      const r = await decide({ ids: [ids[0]!.toUpperCase()], decision: 'reject' });
      expect(r.status).toBe(200);
      expect(reviewResponseSchema.parse(await r.json())).toEqual({
        decided: 1,
        unknown: [],
        pending: 2,
      });
      await decide({ ids: [ids[1]], decision: 'accept' });
      expect(await listAll('pending')).toEqual([ids[2]]);
      expect(await listAll('rejected')).toEqual([ids[0]]);
      expect(await listAll('accepted')).toEqual([ids[1]]);
      // A later decision overrides: the file keeps both, the last one is in force.
      await decide({ ids: [ids[0]], decision: 'accept' });
      expect(await listAll('accepted')).toEqual([ids[0], ids[1]]);
      const status = await jsonOf(t.app.request('/api/status'));
      expect(status.review).toEqual({ pending: 1 });
      const lines = await decisions();
      expect(lines.map((d) => [d.id, d.decision])).toEqual([
        [ids[0], 'reject'],
        [ids[1], 'accept'],
        [ids[0], 'accept'],
      ]);
    });

    it('reports unknown ids and records the known ones', async () => {
      const [id] = await storeFlagged(1);
      const unknown = randomUUID();
      const r = await decide({ ids: [id, unknown], decision: 'reject' });
      expect(await r.json()).toEqual({ decided: 1, unknown: [unknown], pending: 0 });
      expect((await decisions()).map((d) => d.id)).toEqual([id]);
    });

    it('answer 400 to a bad decision, a bad id, no ids, a bad state or cursor', async () => {
      const [id] = await storeFlagged(1);
      for (const body of [
        { ids: [id], decision: 'maybe' },
        { ids: ['not-a-uuid'], decision: 'accept' },
        { ids: [], decision: 'accept' },
        { ids: [id] },
        { ids: [id], clientId: randomUUID(), decision: 'accept' },
      ]) {
        const r = await decide(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect((await jsonOf(r)).error.code).toBe('bad_request');
      }
      for (const q of ['state=done', 'cursor=-1', 'cursor=abc']) {
        const r = await t.app.request(`/api/admin/review?${q}`, { headers: asAdmin });
        expect(r.status, q).toBe(400);
      }
      expect(await decisions()).toEqual([]);
    });

    it('take 10,000 ids in one request, in one durable append, and page through them', async () => {
      const ids = await seedFlagged(10_000);
      expect((await list('pending')).pending).toBe(10_000);
      const r = await decide({ ids, decision: 'reject' });
      expect(await r.json()).toEqual({ decided: 10_000, unknown: [], pending: 0 });
      expect(await decisions()).toHaveLength(10_000);
      expect(await listAll('rejected')).toEqual(ids);
      expect(await listAll('pending')).toEqual([]);
      expect((await decide({ ids: [...ids, randomUUID()], decision: 'reject' })).status).toBe(400);
    });

    it('decide everything one client sent in bulk, flagged or not', async () => {
      const clientId = randomUUID();
      const flagged = await storeFlagged(3, clientId);
      const clean = makeItem({ clientId, pixels: makeItem({}, 0).pixels });
      await postFeedback(t.app, { items: [clean] });
      const others = await storeFlagged(2);
      const r = await decide({ clientId, decision: 'reject' });
      expect(await r.json()).toEqual({ decided: 4, unknown: [], pending: 2 });
      expect(await listAll('rejected')).toEqual([...flagged, clean.id]);
      expect(await listAll('pending')).toEqual(others);
    });

    it('serialize concurrent decisions: every one on disk, the file’s last in force here too', async () => {
      const ids = await storeFlagged(50);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          decide({ ids: ids.slice(i, i + 30), decision: i % 2 === 0 ? 'accept' : 'reject' }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      const lines = await decisions();
      expect(lines).toHaveLength(20 * 30);
      const last = new Map(lines.map((d) => [d.id, d.decision]));
      const accepted = new Set(await listAll('accepted'));
      for (const id of ids.slice(0, 49))
        expect(accepted.has(id), id).toBe(last.get(id) === 'accept');
      expect(await listAll('pending')).toEqual([ids[49]]);
    });

    it('audit every review request like the other admin routes', async () => {
      const auditLog = join(dirs.root, 'audit.jsonl');
      const [id] = await storeFlagged(1);
      const audited = await store.open(dirs, { adminToken: TOKEN, adminAuditLog: auditLog });
      await decide({ ids: [id], decision: 'accept' }, asAdmin, audited);
      await decide({ ids: [id], decision: 'accept' }, {}, audited);
      await audited.close();
      const entries = readFileSync(auditLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(entries.map((e) => [e.action, e.status])).toEqual([
        ['POST /api/admin/review', 200],
        ['POST /api/admin/review', 401],
      ]);
      expect(entries[0].details).toEqual({ decision: 'accept', decided: 1 });
    });

    // review.jsonl is the file store's own record; the PostgreSQL store only exports it.
    it.runIf(store.kind === 'fs')(
      'restart with the decisions in force, ignoring a torn last line with a warning',
      async () => {
        const ids = await storeFlagged(2);
        await decide({ ids: [ids[0]], decision: 'reject' });
        await t.close();
        appendFileSync(join(dirs.data, 'review.jsonl'), `{"id":"${ids[1]}","decis`);
        const { log, lines } = capturingLogger();
        t = await store.open(dirs, { adminToken: TOKEN, log });
        expect(lines().some((l) => l.level === 'warn' && /torn/.test(l.msg))).toBe(true);
        expect(await listAll('rejected')).toEqual([ids[0]]);
        expect(await listAll('pending')).toEqual([ids[1]]);
        // The next append starts on a line of its own.
        await decide({ ids: [ids[1]], decision: 'accept' });
        expect((await decisions()).map((d) => d.decision)).toEqual(['reject', 'accept']);
      },
    );
  });
