import { domainToASCII } from 'node:url';
import { errors, type InvalidEmail, type InvalidEmailReason } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import { hasControlCharacter, hasLoneSurrogate } from './characters.js';
import { describeNonString, echoInput } from './echo-input.js';

/** RFC 5321 limits, in octets (the domain counted in its ASCII form). */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_DOMAIN_LABEL_LENGTH = 63;

/**
 * A dot-atom local part (RFC 5322 `atext` runs joined by single dots), with
 * letters, marks and digits beyond ASCII as RFC 6531 allows. No quoted
 * strings and none of `,;<>()[]\\":@` or spaces: a mailer or a mail server
 * may read an address holding them as several recipients, or as another one.
 */
const DOT_ATOM_LOCAL_PART =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\p{L}\p{M}\p{N}-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\p{L}\p{M}\p{N}-]+)*$/u;

/** An LDH label of an ASCII (punycode) host name. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * The form emails are compared in: trimmed, Unicode NFC, lower-cased. Hosts
 * implementing `UserDirectory` should normalise their own addresses the same way.
 *
 * @example
 * ```ts
 * normaliseEmailForComparison('  Dev@Partner.Example ') === 'dev@partner.example'; // true
 * ```
 */
export function normaliseEmailForComparison(input: string): string {
  return input.trim().normalize('NFC').toLowerCase();
}

/**
 * Checks and normalises an email address. Returns the normalised form
 * (trimmed, NFC, lower-case), which is what is stored and compared.
 *
 * Rejected: no single `@`, an empty local part or domain, whitespace or control
 * characters, a local part that is not a plain dot-atom (no quoted strings,
 * no `,;<>()[]\\` — a mailer could read those as several recipients), a
 * domain without a dot or with an empty label, a domain that is not a valid
 * (internationalised) host name, or more than RFC 5321 allows (254 octets in
 * all, 64 in the local part, 63 in a domain label).
 *
 * @example
 * ```ts
 * validateEmail('Dev@Bücher.example'); // ok('dev@bücher.example')
 * validateEmail('dev@localhost');      // err: reason 'domain_without_dot'
 * ```
 */
export function validateEmail(input: unknown): Result<string, InvalidEmail> {
  if (typeof input !== 'string') {
    return err(
      errors.invalidEmail(describeNonString(input), 'not_a_string', 'The email must be text.'),
    );
  }
  const reject = (reason: InvalidEmailReason, message: string) =>
    err(errors.invalidEmail(echoInput(input), reason, message));

  if (hasLoneSurrogate(input)) {
    return reject('invalid_unicode', 'The email address contains invalid characters.');
  }
  const email = normaliseEmailForComparison(input);
  if (email.length > MAX_ADDRESS_LENGTH * 4) {
    // Beyond any possible 254-octet address; stop before doing more work on it.
    return reject('too_long', `An email address can be at most ${MAX_ADDRESS_LENGTH} characters.`);
  }
  if (hasControlCharacter(email)) {
    return reject('control_character', 'The email address cannot contain control characters.');
  }
  if (/\s/u.test(email)) {
    return reject('whitespace', 'The email address cannot contain spaces.');
  }
  const parts = email.split('@');
  if (parts.length < 2) return reject('missing_at', 'The email address needs an @.');
  if (parts.length > 2) return reject('multiple_at', 'The email address can contain only one @.');
  const [local = '', domain = ''] = parts;
  if (local.length === 0)
    return reject('empty_local_part', 'The email address needs a name before the @.');
  if (domain.length === 0)
    return reject('empty_domain', 'The email address needs a domain after the @.');
  if (!domain.includes('.')) {
    return reject('domain_without_dot', 'The email domain needs a dot, as in example.com.');
  }
  if (domain.split('.').some((label) => label.length === 0)) {
    return reject(
      'empty_domain_label',
      'The email domain has an empty part (two dots in a row, or a dot at an end).',
    );
  }
  if (!DOT_ATOM_LOCAL_PART.test(local)) {
    return reject(
      'invalid_local_part',
      "The part before the @ can hold letters, digits, dots and ! # $ % & ' * + / = ? ^ _ ` { | } ~ -, and cannot start or end with a dot.",
    );
  }
  const asciiDomain = domainToASCII(domain);
  if (asciiDomain === '' || !asciiDomain.split('.').every((label) => HOST_LABEL.test(label))) {
    return reject('invalid_domain', 'The email domain is not a valid domain name.');
  }
  if (asciiDomain.split('.').some((label) => label.length > MAX_DOMAIN_LABEL_LENGTH)) {
    return reject(
      'domain_label_too_long',
      `Each part of the email domain can be at most ${MAX_DOMAIN_LABEL_LENGTH} characters.`,
    );
  }
  const localOctets = Buffer.byteLength(local, 'utf8');
  if (localOctets > MAX_LOCAL_PART_LENGTH) {
    return reject(
      'local_part_too_long',
      `The part before the @ can be at most ${MAX_LOCAL_PART_LENGTH} characters.`,
    );
  }
  if (localOctets + 1 + asciiDomain.length > MAX_ADDRESS_LENGTH) {
    return reject('too_long', `An email address can be at most ${MAX_ADDRESS_LENGTH} characters.`);
  }
  return ok(email);
}
