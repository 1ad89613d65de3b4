import { describe, expect, it, vi } from 'vitest';
import { runAfterLoad, type PageTarget } from './after-load';

/** A page whose frames and idle moments come only when the test says so. */
function fakePage(readyState: DocumentReadyState, idle = true) {
  const events = new EventTarget();
  const frames: (() => void)[] = [];
  const idles: (() => void)[] = [];
  const target: PageTarget = {
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    document: { readyState },
    requestAnimationFrame: (run) => frames.push(run),
    setTimeout: (run) => idles.push(run),
    ...(idle ? { requestIdleCallback: (run: () => void) => idles.push(run) } : {}),
  };
  const flush = (queue: (() => void)[]) => queue.splice(0).forEach((run) => run());
  return {
    target,
    fire: (type: string) => events.dispatchEvent(new Event(type)),
    frame: () => flush(frames),
    idle: () => flush(idles),
  };
}

describe('runAfterLoad', () => {
  it('waits for the load event, then a frame, then an idle moment', () => {
    const page = fakePage('loading');
    const run = vi.fn();
    runAfterLoad(run, page.target);
    page.frame();
    page.idle();
    expect(run).not.toHaveBeenCalled();
    page.fire('load');
    page.idle();
    expect(run).not.toHaveBeenCalled();
    page.frame();
    page.idle();
    expect(run).toHaveBeenCalledOnce();
  });

  it('starts at once on the first touch or key, and only once', () => {
    const page = fakePage('loading');
    const run = vi.fn();
    runAfterLoad(run, page.target);
    page.fire('pointerdown');
    expect(run).toHaveBeenCalledOnce();
    page.fire('keydown');
    page.fire('load');
    page.frame();
    page.idle();
    expect(run).toHaveBeenCalledOnce();
  });

  it('on a page already loaded, and without idle callbacks, runs after the next frame', () => {
    const page = fakePage('complete', false);
    const run = vi.fn();
    runAfterLoad(run, page.target);
    page.frame();
    expect(run).not.toHaveBeenCalled();
    page.idle();
    expect(run).toHaveBeenCalledOnce();
  });
});
