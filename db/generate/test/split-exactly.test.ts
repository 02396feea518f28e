import { describe, expect, it } from 'vitest';
import { splitExactly } from '../src/demo/dossiers/dossier-generator.ts';

describe('splitExactly', () => {
  it('adds up to the total to the cent, every share at least one cent', () => {
    const total = 8_593_578_535n; // VOP's 2020 VEK in cents
    const weights = Array.from({ length: 33_852 }, (_, i) => 0.5 + ((i * 7919) % 1000) / 1000);
    const shares = splitExactly(total, weights);
    expect(shares).toHaveLength(weights.length);
    expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
    expect(shares.every((s) => s >= 1n)).toBe(true);
  });

  it('follows the weights', () => {
    expect(splitExactly(1003n, [1, 1, 1])).toEqual([335n, 334n, 334n]);
    const [small, large] = splitExactly(10_000n, [1, 3]);
    expect(large! > small!).toBe(true);
  });

  it('refuses a total smaller than one cent per share', () => {
    expect(() => splitExactly(2n, [1, 1, 1])).toThrow(/cannot split/);
  });
});
