import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { checkForUpdate, watchForUpdates, type UpdateWatchOptions } from './update-watch';

const live = (current: string) => async () => ({ current }) as Manifest;

/** A document whose visibility the test sets before firing `visibilitychange`. */
class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
}

function options(overrides: Partial<UpdateWatchOptions>) {
  const win = new EventTarget();
  const doc = new FakeDocument();
  const told: (string | null)[] = [];
  let resolveNext: (v: string | null) => void = () => undefined;
  const base: UpdateWatchOptions = {
    fetchManifest: live('v2'),
    inUse: () => 'v1',
    onNewer: (v) => {
      told.push(v);
      resolveNext(v);
    },
    intervalMs: 60_000,
    window: win,
    document: doc as unknown as Document,
    ...overrides,
  };
  const next = () => new Promise<string | null>((r) => (resolveNext = r));
  return { opts: base, told, next, win, doc };
}

afterEach(() => vi.useRealTimers());

describe('checkForUpdate', () => {
  it('tells the newer live version, or null once the one in use is live', async () => {
    const { opts, told } = options({});
    await checkForUpdate(opts);
    await checkForUpdate({ ...opts, fetchManifest: live('v1') });
    expect(told).toEqual(['v2', null]);
  });

  it('says nothing when the server is out of reach', async () => {
    const { opts, told } = options({ fetchManifest: () => Promise.reject(new Error('offline')) });
    await checkForUpdate(opts);
    expect(told).toEqual([]);
  });
});

describe('watchForUpdates', () => {
  it('checks when the network comes back and when the page becomes visible', async () => {
    const { opts, told, next, win, doc } = options({});
    const stop = watchForUpdates(opts);
    let told1 = next();
    win.dispatchEvent(new Event('online'));
    expect(await told1).toBe('v2');
    told1 = next();
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(await told1).toBe('v2');
    stop();
    win.dispatchEvent(new Event('online'));
    expect(told).toHaveLength(2);
  });

  it('checks on its interval until stopped', async () => {
    vi.useFakeTimers();
    const { opts, told } = options({});
    const stop = watchForUpdates(opts);
    await vi.advanceTimersByTimeAsync(opts.intervalMs * 2);
    expect(told).toEqual(['v2', 'v2']);
    stop();
    await vi.advanceTimersByTimeAsync(opts.intervalMs * 2);
    expect(told).toHaveLength(2);
  });

  it('ignores the page becoming hidden', () => {
    const doc = new FakeDocument();
    doc.visibilityState = 'hidden';
    let fetches = 0;
    const fetchManifest = () => (fetches++, live('v2')());
    const { opts, win } = options({ document: doc as unknown as Document, fetchManifest });
    const stop = watchForUpdates(opts);
    // A check asks for the manifest at once, so a count right after each event is exact.
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(fetches).toBe(0);
    win.dispatchEvent(new Event('online'));
    expect(fetches).toBe(1);
    stop();
  });
});
