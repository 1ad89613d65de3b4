import { describe, expect, it } from 'vitest';
import { collapseTranspose } from './layout-kernels';

describe('collapseTranspose', () => {
  it('turns NHWC → CNHW into a rank-2 transpose', () => {
    expect(collapseTranspose([8, 28, 28, 16], [3, 0, 1, 2])).toEqual({
      shape: [8 * 28 * 28, 16],
      perm: [1, 0],
    });
  });

  it('merges only axes that stay adjacent and in order', () => {
    expect(collapseTranspose([2, 3, 4, 5], [1, 2, 0, 3])).toEqual({
      shape: [2, 12, 5],
      perm: [1, 0, 2],
    });
    expect(collapseTranspose([2, 3, 4], [2, 1, 0])).toEqual({ shape: [2, 3, 4], perm: [2, 1, 0] });
  });
});
