import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FeedbackItem, MetadataEntry } from '../contract';
import { IngestScreen, type Verdict } from './screen';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 29, 9); // 09:00 UTC

// A digit-like stroke: a vertical bar, so only rate and prediction can flag it.
const BAR = new Uint8Array(784);
for (let y = 4; y < 24; y++) for (let x = 12; x < 16; x++) BAR[y * 28 + x] = 255;

function item(overrides: Partial<FeedbackItem> = {}): FeedbackItem {
  return {
    id: randomUUID(),
    pixels: '',
    label: 1,
    predicted: 1,
    confidence: 0.9,
    modelVersion: null,
    createdAt: new Date(T0).toISOString(),
    ...overrides,
  };
}

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const flagsOf = (v: Verdict) => (v.ok ? v.flags : null);

describe('IngestScreen', () => {
  it('never flags a lone person answering a few dozen digits in a sitting', () => {
    const c = clock();
    const screen = new IngestScreen({ quotaPerDay: 500, burstPerHour: 60, now: c.now });
    const clientId = randomUUID();
    for (let i = 0; i < 48; i++) {
      c.advance(2_000);
      // A few corrections with a modest confidence, most confirmations.
      const v = screen.admit(
        item({
          clientId,
          label: i % 10,
          predicted: (i + (i % 7 === 0 ? 1 : 0)) % 10,
          confidence: 0.8,
        }),
        BAR,
        'addr',
      );
      expect(flagsOf(v)).toEqual([]);
    }
  });

  it('flags a confident disagreement: predicted another digit with ≥ 0.99', () => {
    const screen = new IngestScreen({ quotaPerDay: 0, burstPerHour: 60 });
    expect(
      flagsOf(screen.admit(item({ label: 7, predicted: 1, confidence: 0.995 }), BAR, 'a')),
    ).toEqual(['confident_disagreement']);
    expect(
      flagsOf(screen.admit(item({ label: 7, predicted: 1, confidence: 0.98 }), BAR, 'a')),
    ).toEqual([]);
    expect(
      flagsOf(screen.admit(item({ label: 7, predicted: 7, confidence: 1 }), BAR, 'a')),
    ).toEqual([]);
    expect(
      flagsOf(screen.admit(item({ label: 7, predicted: null, confidence: null }), BAR, 'a')),
    ).toEqual([]);
  });

  it('flags pixels that are no digit', () => {
    const screen = new IngestScreen({ quotaPerDay: 0, burstPerHour: 60 });
    expect(flagsOf(screen.admit(item(), new Uint8Array(784), 'a'))).toEqual(['not_digit_like']);
  });

  it('flags a client’s answers beyond BURST_PER_HOUR within an hour, and forgets after it', () => {
    const c = clock();
    const screen = new IngestScreen({ quotaPerDay: 0, burstPerHour: 5, now: c.now });
    const clientId = randomUUID();
    const flags = Array.from({ length: 7 }, () =>
      flagsOf(screen.admit(item({ clientId }), BAR, 'a')),
    );
    expect(flags.map((f) => f?.includes('burst'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    // Another client is counted apart.
    expect(flagsOf(screen.admit(item({ clientId: randomUUID() }), BAR, 'a'))).toEqual([]);
    c.advance(HOUR + 1);
    expect(flagsOf(screen.admit(item({ clientId }), BAR, 'a'))).toEqual([]);
  });

  it('refuses a client past its daily quota, per client, until the next UTC day', () => {
    const c = clock();
    const screen = new IngestScreen({ quotaPerDay: 3, burstPerHour: 60, now: c.now });
    const one = randomUUID();
    const verdicts = Array.from({ length: 4 }, () =>
      screen.admit(item({ clientId: one }), BAR, 'a'),
    );
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, false]);
    expect(verdicts[3]).toEqual({ ok: false, reason: 'quota' });
    expect(screen.admit(item({ clientId: randomUUID() }), BAR, 'a').ok).toBe(true);
    c.advance(DAY);
    expect(screen.admit(item({ clientId: one }), BAR, 'a').ok).toBe(true);
  });

  it('shares one quota per address among items without a clientId', () => {
    const screen = new IngestScreen({ quotaPerDay: 2, burstPerHour: 60 });
    expect([1, 2, 3].map(() => screen.admit(item(), BAR, '10.0.0.1').ok)).toEqual([
      true,
      true,
      false,
    ]);
    expect(screen.admit(item(), BAR, '10.0.0.2').ok).toBe(true);
  });

  it('has no quota at 0', () => {
    const screen = new IngestScreen({ quotaPerDay: 0, burstPerHour: 1_000 });
    const clientId = randomUUID();
    const ok = Array.from({ length: 600 }, () => screen.admit(item({ clientId }), BAR, 'a').ok);
    expect(ok.every(Boolean)).toBe(true);
  });

  it('gives back what a failed commit took', () => {
    const screen = new IngestScreen({ quotaPerDay: 1, burstPerHour: 60 });
    const clientId = randomUUID();
    const v = screen.admit(item({ clientId }), BAR, 'a');
    if (!v.ok) throw new Error('admitted expected');
    screen.release(v);
    expect(screen.admit(item({ clientId }), BAR, 'a').ok).toBe(true);
  });

  it('counts today’s stored answers again after a restart (received_at), not older ones', () => {
    const c = clock();
    const clientId = randomUUID();
    const entry = (receivedAt: number): MetadataEntry => ({
      filename: '1_0_00000000.png',
      true_label: 1,
      created_at: 0,
      source: 'web_feedback',
      client_id: clientId,
      received_at: receivedAt,
    });
    const screen = new IngestScreen({ quotaPerDay: 3, burstPerHour: 2, now: c.now });
    screen.countStored([entry(T0 - DAY), entry(T0 - 2 * HOUR), entry(T0 - 60_000)]);
    // Two today (one in the last hour): one answer left, and it is the second this hour.
    const v = screen.admit(item({ clientId }), BAR, 'a');
    expect(flagsOf(v)).toEqual([]);
    expect(screen.admit(item({ clientId }), BAR, 'a')).toEqual({ ok: false, reason: 'quota' });
  });
});
