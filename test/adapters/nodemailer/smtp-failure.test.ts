import { smtpFailure } from 'api-accounts/nodemailer';
import { describe, expect, it } from 'vitest';

describe('smtpFailure', () => {
  it.each([
    [{ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'authentication', false],
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'recipient_refused', false],
    [{ code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' }, 'rejected', false],
    [{ code: 'EMESSAGE', responseCode: 552, command: 'DATA' }, 'rejected', false],
    [{ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }, 'server_error', true],
    [{ code: 'EENVELOPE', responseCode: 452, command: 'RCPT TO' }, 'rate_limited', true],
    [{ code: 'EPROTOCOL', responseCode: 421, command: 'CONN' }, 'rate_limited', true],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, 'timeout', true],
    [{ code: 'ECONNECTION', command: 'CONN' }, 'connection', true],
    [{ code: 'ESOCKET' }, 'connection', true],
    [{ code: 'ENOAUTH' }, 'authentication', false],
    [new Error('something else'), 'rejected', false],
    [null, 'rejected', false],
  ])('classifies %o as %s (retryable %s)', (cause, reason, retryable) => {
    expect(smtpFailure(cause)).toMatchObject({ reason, retryable, provider: 'smtp' });
  });
});
