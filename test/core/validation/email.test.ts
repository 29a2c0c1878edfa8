import { normaliseEmailForComparison, validateEmail } from 'api-accounts';
import { describe, expect, it } from 'vitest';

describe('validateEmail (R2)', () => {
  it.each([
    ['dev@acme.example', 'dev@acme.example'],
    ['  Dev.Team+api@ACME.Example ', 'dev.team+api@acme.example'],
    ['rene\u0301@théâtre.example', 'rené@théâtre.example'],
    ['用户@例子.广告', '用户@例子.广告'],
    ["o'brien@sub.domain.example", "o'brien@sub.domain.example"],
    ['a!#$%&*+/=?^_`{|}~-z@acme.example', 'a!#$%&*+/=?^_`{|}~-z@acme.example'],
    ['first.last@xn--bcher-kva.example', 'first.last@xn--bcher-kva.example'],
  ])('accepts %j as %j', (input, normalised) => {
    expect(validateEmail(input)._unsafeUnwrap()).toBe(normalised);
  });

  it.each([
    ['acme.example', 'missing_at'],
    ['a@b@acme.example', 'multiple_at'],
    ['@acme.example', 'empty_local_part'],
    ['dev@', 'empty_domain'],
    ['dev @acme.example', 'whitespace'],
    ['dev@acme.\u00A0example', 'whitespace'],
    ['dev\u0007@acme.example', 'control_character'],
    ['dev@localhost', 'domain_without_dot'],
    ['dev@acme..example', 'empty_domain_label'],
    ['dev@.acme.example', 'empty_domain_label'],
    ['dev@acme.example.', 'empty_domain_label'],
    ['dev@ac<me.example', 'invalid_domain'],
    [`${'a'.repeat(65)}@acme.example`, 'local_part_too_long'],
    [`dev@${'a'.repeat(64)}.example`, 'domain_label_too_long'],
    [`${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`, 'too_long'],
    ['dev\uD800@acme.example', 'invalid_unicode'],
    // Addresses a mailer reads as several recipients, or as another one.
    ['dev,attacker@evil.example', 'invalid_local_part'],
    ['a;attacker@evil.example', 'invalid_local_part'],
    ['x,staff@box-office.example', 'invalid_local_part'],
    ['"dev"@acme.example', 'invalid_local_part'],
    ['<dev>@acme.example', 'invalid_local_part'],
    ['dev(comment)@acme.example', 'invalid_local_part'],
    ['dev[x]@acme.example', 'invalid_local_part'],
    ['dev\\x@acme.example', 'invalid_local_part'],
    ['.dev@acme.example', 'invalid_local_part'],
    ['dev.@acme.example', 'invalid_local_part'],
    ['de..v@acme.example', 'invalid_local_part'],
    ['dev\u200B@acme.example', 'invalid_local_part'],
    ['dev@evil.example,attacker.example', 'invalid_domain'],
    ['dev@evil.example;x', 'invalid_domain'],
    ['dev@under_score.example', 'invalid_domain'],
    ['dev@-acme.example', 'invalid_domain'],
  ])('rejects %j with reason %s', (input, reason) => {
    expect(validateEmail(input)._unsafeUnwrapErr()).toMatchObject({ type: 'InvalidEmail', reason });
  });

  it('accepts the RFC 5321 limits exactly', () => {
    expect(validateEmail(`${'a'.repeat(64)}@acme.example`).isOk()).toBe(true);
    expect(validateEmail(`dev@${'a'.repeat(63)}.example`).isOk()).toBe(true);
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.ex`;
    expect(`${local}@${domain}`).toHaveLength(254);
    expect(validateEmail(`${local}@${domain}`).isOk()).toBe(true);
    expect(validateEmail(`${local}@${domain}x`)._unsafeUnwrapErr().reason).toBe('too_long');
  });

  it('counts an internationalised domain by its ASCII (punycode) length', () => {
    // 30 'ü' become a 63+-character xn-- label.
    expect(validateEmail(`dev@${'ü'.repeat(60)}.example`)._unsafeUnwrapErr().reason).toBe(
      'domain_label_too_long',
    );
  });

  it('normalises the same way for the user directory', () => {
    expect(normaliseEmailForComparison(' Rene\u0301@X.example ')).toBe('rené@x.example');
  });

  it('rejects non-strings', () => {
    expect(validateEmail(undefined)._unsafeUnwrapErr().reason).toBe('not_a_string');
  });
});
