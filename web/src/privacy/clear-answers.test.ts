import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { recordSent } from '../answers/record-sent';
import { openSentDb } from '../answers/sent-db';
import { counts, enqueue, settle } from '../feedback/outbox';
import { openOutboxDb } from '../feedback/outbox-db';
import { testItem } from '../feedback/test-items';
import { clearLocalAnswers } from './clear-answers';

describe('clearLocalAnswers', () => {
  it('leaves no waiting, refused or sent answer on the device', async () => {
    const outbox = await openOutboxDb('forget-outbox');
    const sent = await openSentDb('forget-sent');
    const [a, b] = [testItem(1), testItem(2)];
    await enqueue(outbox, a);
    await enqueue(outbox, b);
    await settle(outbox, [], [{ item: b, reason: 'no' }]);
    await recordSent([testItem(3)], { index: 0, count: 1, threshold: 10 }, 0, sent);
    await clearLocalAnswers(outbox, sent);
    expect(await counts(outbox)).toEqual({ pending: 0, rejected: 0 });
    expect(await sent.count('sent')).toBe(0);
  });
});
