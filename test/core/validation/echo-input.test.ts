import { describe, expect, it } from 'vitest';
import { describeNonString, echoInput } from '../../../src/core/validation/echo-input.js';

describe('echoing rejected input', () => {
  it('echoes up to 256 characters whole, and the start and length of anything longer', () => {
    expect(echoInput('x'.repeat(256))).toBe('x'.repeat(256));
    expect(echoInput('y'.repeat(257))).toBe(`${'y'.repeat(256)}…(257 characters)`);
    expect(echoInput('')).toBe('');
  });

  it('names what a value that is not a string is', () => {
    expect(describeNonString(null)).toBe('[null]');
    expect(describeNonString(undefined)).toBe('[undefined]');
    expect(describeNonString(42)).toBe('[number]');
    expect(describeNonString({})).toBe('[object]');
  });
});
