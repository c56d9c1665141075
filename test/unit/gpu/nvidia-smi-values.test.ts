import { describe, expect, it } from 'vitest';
import { parseSmiInteger, parseSmiNumber, smiText } from '../../../src/gpu/nvidia-smi-values.js';

describe('nvidia-smi value parsing', () => {
  it.each<[string | undefined, string, number | undefined]>([
    ['81559 MiB', 'MiB', 81_559],
    ['81559', 'MiB', 81_559],
    ['  12 MiB ', 'MiB', 12],
    ['100 %', '%', 100],
    ['26.78 W', 'W', 26.78],
    ['80 GiB', 'MiB', undefined],
    ['N/A', 'MiB', undefined],
    ['[N/A]', '%', undefined],
    ['[Not Supported]', '%', undefined],
    ['', 'MiB', undefined],
    [undefined, 'MiB', undefined],
    ['lots', 'MiB', undefined],
  ])('parseSmiNumber(%j, %j) = %j', (text, unit, expected) => {
    expect(parseSmiNumber(text, unit)).toBe(expected);
  });

  it.each<[string | undefined, number | undefined]>([
    ['5762', 5762],
    ['N/A', undefined],
    ['1.5', undefined],
    ['3 MiB', undefined],
  ])('parseSmiInteger(%j) = %j', (text, expected) => {
    expect(parseSmiInteger(text)).toBe(expected);
  });

  it.each<[string | undefined, string | undefined]>([
    [' Tesla T4 ', 'Tesla T4'],
    ['N/A', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('smiText(%j) = %j', (text, expected) => {
    expect(smiText(text)).toBe(expected);
  });
});
