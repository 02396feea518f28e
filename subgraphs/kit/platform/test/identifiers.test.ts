import { describe, expect, it } from 'vitest';
import { inszFor, isValidInsz, isValidKbo, kboFromBase } from '../src/identifiers.ts';

describe('KBO enterprise numbers', () => {
  it('accepts real numbers with or without separators', () => {
    // Enterprise numbers of public bodies, published in the KBO.
    expect(isValidKbo('0316.381.039')).toBe(true);
    expect(isValidKbo('BE 0316 381 039')).toBe(true);
    expect(isValidKbo('0203201340')).toBe(true);
  });

  it('rejects a wrong check digit, wrong length, non-digits and a leading digit other than 0/1', () => {
    expect(isValidKbo('0316381038')).toBe(false);
    expect(isValidKbo('031638103')).toBe(false);
    expect(isValidKbo('03163810391')).toBe(false);
    expect(isValidKbo('03163810a9')).toBe(false);
    expect(isValidKbo('2316381039')).toBe(false);
  });

  it('completes a base with a check that validates', () => {
    for (const base of [2_000_000, 4_567_890, 9_999_999]) expect(isValidKbo(kboFromBase(base))).toBe(true);
    expect(kboFromBase(3_163_810)).toBe('0316381039');
  });
});

describe('INSZ national numbers', () => {
  it('validates people born before and after 2000', () => {
    expect(isValidInsz('85.07.30-033.28')).toBe(true);
    expect(isValidInsz('85073003328')).toBe(true);
    expect(isValidInsz('17.07.30-033.84')).toBe(true); // born 2017: check over "2" + 9 digits
  });

  it('rejects a wrong check and a wrong length', () => {
    expect(isValidInsz('85073003329')).toBe(false);
    expect(isValidInsz('8507300332')).toBe(false);
  });

  it('generates valid numbers for both centuries', () => {
    expect(inszFor('1985-07-30', 33)).toBe('85073003328');
    expect(inszFor('2017-07-30', 33)).toBe('17073003384');
    expect(isValidInsz(inszFor('2001-01-01', 998))).toBe(true);
  });
});
