import { describe, expect, it } from 'vitest';
import { pathOfHash, routeOf } from './use-route';

describe('routeOf', () => {
  it('maps real paths to views, a trailing slash included, and anything else to the pad', () => {
    expect(routeOf('/')).toBe('recognize');
    expect(routeOf('/dashboard')).toBe('dashboard');
    expect(routeOf('/answers/')).toBe('answers');
    expect(routeOf('/nowhere')).toBe('recognize');
  });
});

describe('pathOfHash', () => {
  it('turns an old hash link into its real path', () => {
    expect(pathOfHash('#/dashboard')).toBe('/dashboard');
    expect(pathOfHash('#/answers')).toBe('/answers');
    expect(pathOfHash('#/')).toBe('/');
    expect(pathOfHash('#/gone')).toBe('/');
  });

  it('leaves in-page anchors and no hash alone', () => {
    expect(pathOfHash('')).toBeNull();
    expect(pathOfHash('#top')).toBeNull();
  });
});
