import { DeliveryError, type DeliveryFailureReason } from '../../ports/delivery.js';
import { failureForStatus, type ProviderDetails } from './http.js';

// Twilio's documented error codes (twilio.com/docs/api/errors) that the
// Messages endpoint answers synchronously, by what the host can do about them.
const TWILIO_REASONS: Readonly<Record<number, DeliveryFailureReason>> = {
  21211: 'invalid_number', // Invalid 'To' phone number
  21217: 'invalid_number', // Phone number does not appear to be valid
  21401: 'invalid_number', // Invalid phone number
  21614: 'not_sms_capable', // 'To' number is not a valid mobile number
  21407: 'not_sms_capable', // This phone number type does not support SMS
  30006: 'not_sms_capable', // Landline or unreachable carrier
  21612: 'unreachable', // The 'To' phone number is not currently reachable via SMS
  21408: 'unreachable', // Permission to send an SMS has not been enabled for the region
  21610: 'unreachable', // Attempt to send to unsubscribed recipient
  30003: 'unreachable', // Unreachable destination handset
  30005: 'unreachable', // Unknown destination handset
  20003: 'authentication', // Authenticate (bad credentials)
  20005: 'authentication', // Account not active
  20429: 'rate_limited', // Too many requests
  14107: 'rate_limited', // SMS send rate limit exceeded
};

/**
 * Classifies a Twilio error: its documented code first, the HTTP status when
 * the code is not one we know. Rate limits and server errors are retryable;
 * everything about the number, the credentials or the request is not.
 */
export function twilioFailure(status: number, details: ProviderDetails): DeliveryError {
  const code = details.providerCode;
  const reason = typeof code === 'number' ? TWILIO_REASONS[code] : undefined;
  if (reason === undefined) return failureForStatus('twilio', status, details);
  return new DeliveryError({
    ...details,
    provider: 'twilio',
    status,
    reason,
    retryable: reason === 'rate_limited',
  });
}
