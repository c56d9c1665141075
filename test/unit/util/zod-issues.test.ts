import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssue } from '../../../src/util/zod-issues.js';

// The first issue zod reports for a value, described as an option problem's `expected`.
function expected(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('the value was accepted');
  return describeIssue(result.error.issues[0] as z.core.$ZodIssue);
}

describe('describeIssue', () => {
  it('says what length a string or list needs, in words that agree with the number', () => {
    expect(expected(z.string().min(1), '')).toBe('a non-empty string');
    expect(expected(z.string().min(3), 'ab')).toBe('at least 3 characters');
    expect(expected(z.string().max(1), 'ab')).toBe('at most 1 character');
    expect(expected(z.array(z.number()).min(1), [])).toBe('at least 1 item');
    expect(expected(z.array(z.number()).max(2), [1, 2, 3])).toBe('at most 2 items');
  });

  it('gives numeric bounds as comparisons', () => {
    expect(expected(z.number().min(100), 5)).toBe('a number >= 100');
    expect(expected(z.number().gt(0), 0)).toBe('a number > 0');
    expect(expected(z.number().max(1), 1.7)).toBe('a number <= 1');
  });

  it('names the type a value should have, and when it is required', () => {
    expect(expected(z.object({ a: z.boolean() }), { a: 'yes' })).toBe('a value of type boolean');
    expect(expected(z.object({ a: z.boolean() }), {})).toBe('a value of type boolean (required)');
  });
});
