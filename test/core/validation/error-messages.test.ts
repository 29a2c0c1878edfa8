/**
 * Every refusal a person may read says what to fix: a real sentence, and one
 * that names the rule it enforces.
 */
import { validateEmail, validateMobilePhone, validateUsername } from 'api-accounts';
import { describe, expect, it } from 'vitest';

const sentence = (message: string) => {
  expect(message.length).toBeGreaterThan(15);
  expect(message).toMatch(/^[A-Z].*[.)]$/s);
};

describe('validation messages', () => {
  it.each([
    [42, 'not_a_string', /email/i],
    ['dev@\uD800.example', 'invalid_unicode', /invalid/i],
    [`${'a'.repeat(1100)}@example.com`, 'too_long', /254/],
    [`dev@${['b', 'c', 'd', 'e'].map((c) => c.repeat(62)).join('.')}.com`, 'too_long', /254/],
    ['dev\u0007@example.com', 'control_character', /control/i],
    ['dev @example.com', 'whitespace', /space/i],
    ['dev.example.com', 'missing_at', /@/],
    ['dev@@example.com', 'multiple_at', /@/],
    ['@example.com', 'empty_local_part', /before/i],
    ['dev@', 'empty_domain', /domain/i],
    ['dev@localhost', 'domain_without_dot', /dot/i],
    ['dev@example..com', 'empty_domain_label', /empty/i],
    [`dev@${'a'.repeat(64)}.com`, 'domain_label_too_long', /63/],
    [`${'a'.repeat(65)}@example.com`, 'local_part_too_long', /64/],
    ['dev@ex%ample.com', 'invalid_domain', /domain/i],
  ])('email %j: %s', (input, reason, mentions) => {
    const error = validateEmail(input)._unsafeUnwrapErr();
    expect(error.reason).toBe(reason);
    sentence(error.message);
    expect(error.message).toMatch(mentions);
  });

  it.each([
    [null, 'not_a_string'],
    ['hello', 'not_a_number'],
    ['07894 123 456', 'missing_country_code'],
    ['+44 12', 'too_short'],
    ['+44 78941234567890123', 'too_long'],
    ['+447911654321', 'invalid_for_country'],
    ['+442079460000', 'not_mobile'],
  ])('phone %j: %s', (input, reason) => {
    const error = validateMobilePhone(input)._unsafeUnwrapErr();
    expect(error.reason).toBe(reason);
    sentence(error.message);
  });

  it.each([
    [7, 'not_a_string'],
    ['   ', 'empty'],
    ['x'.repeat(65), 'too_long'],
    ['AC:ME', 'contains_colon'],
    ['AC\u0000ME', 'control_character'],
  ])('username %j: %s', (input, reason) => {
    const error = validateUsername(input)._unsafeUnwrapErr();
    expect(error.reason).toBe(reason);
    sentence(error.message);
  });
});
