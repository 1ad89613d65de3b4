import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReviewDecisions } from '../src/registry';
import { crashTestServers } from './child-server';
import { makeItem, tempDirs } from './helpers';

const TOKEN = 'review-crash-admin-token';
const dirs = tempDirs();
const startChild = crashTestServers(dirs, {
  RETRAIN_THRESHOLD: '1000',
  ADMIN_TOKEN: TOKEN,
  ADMIN_AUDIT_LOG: join(dirs.root, 'audit.jsonl'),
});

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

describe('kill -9 during review writes', () => {
  it('leaves review.jsonl readable and loses no acknowledged decision, over 3 crashes', async () => {
    let live = await startChild();
    // makeItem's gray pad is flagged not_digit_like: 600 items wait for review.
    const ids: string[] = [];
    for (let b = 0; b < 6; b++) {
      const items = Array.from({ length: 100 }, () => makeItem());
      expect((await post(live.base, '/api/feedback', { items })).status).toBe(200);
      ids.push(...items.map((i) => i.id));
    }
    const acked = new Map<string, 'accept' | 'reject'>();
    let next = 0;
    for (let cycle = 0; cycle < 3; cycle++) {
      let stop = false;
      const target = acked.size + 20;
      let reached: () => void = () => undefined;
      const enough = new Promise<void>((r) => (reached = r));
      // Each request decides 5 ids no other request touches, so every ack is checkable.
      const loop = async (w: number) => {
        while (!stop && next + 5 <= ids.length) {
          const batch = ids.slice(next, (next += 5));
          const decision = (w + next) % 2 === 0 ? 'accept' : 'reject';
          try {
            const r = await post(live.base, '/api/admin/review', { ids: batch, decision });
            if (r.status === 200) for (const id of batch) acked.set(id, decision);
          } catch {
            // Cut by the kill: never acknowledged, may or may not be on disk.
          }
          if (acked.size >= target) reached();
        }
        reached();
      };
      const loops = [0, 1, 2, 3].map(loop);
      await enough;
      live.child.kill('SIGKILL');
      stop = true;
      await Promise.all(loops);
      live = await startChild();

      const decisions = await readReviewDecisions(dirs.data);
      const onDisk = new Map(decisions.map((d) => [d.id, d.decision]));
      const lost = [...acked].filter(([id, d]) => onDisk.get(id) !== d);
      expect({ cycle, lost }).toEqual({ cycle, lost: [] });
      // The restarted server reads the same decisions: none of them is pending.
      const page = await fetch(`${live.base}/api/admin/review?state=pending`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await page.json()) as { pending: number };
      expect(body.pending).toBe(ids.length - onDisk.size);
    }
    expect(acked.size).toBeGreaterThanOrEqual(60);
    live.child.kill('SIGKILL');
  }, 180_000);
});
