import { describe, expect, it } from 'vitest';
import { capPerClient, clientKey } from './caps';

const CLIENT_A = '0b9a4f2e-1c3d-4e5f-8a7b-0c1d2e3f4a5b';
const CLIENT_B = '1c0b5a3f-2d4e-4f60-9b8c-1d2e3f4a5b6c';
const options = { maxShare: 0.1, maxAnswers: 50, seed: 1 };

function answers(clientId: string | undefined, n: number, tag = clientId ?? 'anon') {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${i}`,
    ...(clientId !== undefined && { clientId }),
  }));
}

const countOf = (samples: { clientId?: string }[], clientId: string) =>
  samples.filter((s) => s.clientId === clientId).length;

describe('capPerClient', () => {
  it('keeps every answer of a lone tester below the answer cap', () => {
    const lone = answers(CLIENT_A, 40);
    const result = capPerClient(lone, options);
    expect(result.kept).toEqual(lone);
    expect(result).toMatchObject({ cap: 50, capped: 0, cappedClients: 0 });
  });

  it('holds a lone flooding client to the answer cap', () => {
    const result = capPerClient(answers(CLIENT_A, 300), options);
    expect(result.kept).toHaveLength(50);
    expect(result).toMatchObject({ cap: 50, capped: 250, cappedClients: 1 });
  });

  it('lets the share decide once it is the larger: a crowd dilutes one client', () => {
    const crowd = Array.from({ length: 100 }, (_, c) =>
      answers(`c0000000-0000-4000-8000-${String(c).padStart(12, '0')}`, 10),
    ).flat();
    const samples = [...crowd, ...answers(CLIENT_A, 1000)];
    const result = capPerClient(samples, options);
    expect(result.cap).toBe(200);
    expect(countOf(result.kept, CLIENT_A)).toBe(200);
    expect(result.kept).toHaveLength(1000 + 200);
    expect(result).toMatchObject({ capped: 800, cappedClients: 1 });
  });

  it('keeps the original order of what it keeps', () => {
    const samples = [...answers(CLIENT_A, 60), ...answers(CLIENT_B, 5)];
    const { kept } = capPerClient(samples, options);
    const positions = kept.map((s) => samples.indexOf(s));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(countOf(kept, CLIENT_B)).toBe(5);
  });

  it('chooses the same answers for the same seed, other ones for another seed', () => {
    const samples = answers(CLIENT_A, 300);
    const ids = (seed: number) => capPerClient(samples, { ...options, seed }).kept.map((s) => s.id);
    expect(ids(1)).toEqual(ids(1));
    expect(ids(1)).toEqual(
      capPerClient([...samples].reverse(), options)
        .kept.map((s) => s.id)
        .reverse(),
    );
    expect(ids(2)).not.toEqual(ids(1));
  });

  it('never swaps a kept answer for a lower-ranked one when more arrive', () => {
    const before = new Set(capPerClient(answers(CLIENT_A, 300), options).kept.map((s) => s.id));
    const after = capPerClient(answers(CLIENT_A, 400), options).kept.map((s) => s.id);
    const isNew = (id: string) => Number(id.split('-').at(-1)) >= 300;
    expect(after.filter((id) => !before.has(id)).every(isNew)).toBe(true);
  });

  it('counts every answer without a client id as its own client, so original data trains', () => {
    const original = answers(undefined, 500);
    const result = capPerClient(original, options);
    expect(result.kept).toHaveLength(500);
    expect(new Set(original.map(clientKey)).size).toBe(500);
  });

  it('keeps nothing from a client when both caps are zero', () => {
    const result = capPerClient(answers(CLIENT_A, 3), { maxShare: 0, maxAnswers: 0, seed: 1 });
    expect(result).toMatchObject({ kept: [], capped: 3, cappedClients: 1 });
  });
});
