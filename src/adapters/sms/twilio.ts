import { DeliveryError, type SendOptions } from '../../ports/delivery.js';
import type { SmsMessage, SmsSender } from '../../ports/sms-sender.js';
import {
  type HttpSenderOptions,
  optional,
  type ProviderDetails,
  parseJson,
  postToProvider,
  retryAfterMs,
} from './http.js';
import { twilioFailure } from './twilio-errors.js';

/**
 * The part of the official `twilio` client this adapter uses, typed
 * structurally so that the `twilio` package stays optional.
 *
 * @example
 * ```ts
 * import twilio from 'twilio';
 * const client: TwilioClientLike = twilio(accountSid, authToken);
 * ```
 */
export interface TwilioClientLike {
  readonly messages: {
    /** Creates (sends) a message; rejects with a RestException when Twilio refuses. */
    create(params: {
      to: string;
      body: string;
      from?: string;
      messagingServiceSid?: string;
    }): Promise<unknown>;
  };
}

/**
 * Who the SMS comes from: a Twilio number or sender id, or a Messaging Service.
 *
 * @example
 * ```ts
 * const client: TwilioSender = twilio(accountSid, authToken);
 * const sms = twilioSms({ client, from: '+447700900000' });
 * ```
 */
export type TwilioSender =
  | { readonly from: string; readonly messagingServiceSid?: undefined }
  | { readonly messagingServiceSid: string; readonly from?: undefined };

/**
 * How {@link twilioSms} reaches Twilio: the host's own client, or credentials
 * for Twilio's REST API called with `fetch` (an Auth Token, or an API key's
 * SID and secret in its place).
 *
 * @example
 * ```ts
 * const options: TwilioSmsOptions = { accountSid: 'AC…', authToken: process.env.TWILIO_AUTH_TOKEN!, from: '+447700900123' };
 * ```
 */
export type TwilioSmsOptions = TwilioSender &
  (
    | { readonly client: TwilioClientLike }
    | ({
        readonly accountSid: string;
        /** The Auth Token, or an API key's secret when `apiKeySid` is given. */
        readonly authToken: string;
        readonly apiKeySid?: string;
        /** Default `https://api.twilio.com`; tests point it at a local server. */
        readonly baseUrl?: string;
      } & HttpSenderOptions)
  );

/**
 * An {@link SmsSender} over Twilio's Messages API. With `client`, it calls
 * `client.messages.create`; with credentials, it POSTs the documented
 * form-encoded `To`, `Body` and `From` (or `MessagingServiceSid`) to
 * `/2010-04-01/Accounts/{AccountSid}/Messages.json` with Basic auth. Twilio's
 * error codes become {@link DeliveryError} reasons; rate limits and server
 * errors are marked retryable.
 *
 * @example
 * ```ts
 * import { twilioSms } from 'api-accounts/sms';
 * const sms = twilioSms({ accountSid: 'AC…', authToken: process.env.TWILIO_AUTH_TOKEN!, from: '+447700900123' });
 * const manager = new ApiAccountManager({ ...ports, sms, claimUrl });
 * ```
 */
export function twilioSms(options: TwilioSmsOptions): SmsSender {
  if (!options.from === !options.messagingServiceSid) {
    throw new TypeError('twilioSms: give exactly one of from and messagingServiceSid');
  }
  const sender = options.from
    ? { from: options.from }
    : { messagingServiceSid: options.messagingServiceSid as string };
  if ('client' in options) {
    const { client } = options;
    return {
      async send({ to, text }: SmsMessage) {
        try {
          await client.messages.create({ to, body: text, ...sender });
        } catch (cause) {
          throw clientFailure(cause);
        }
      },
    };
  }
  if (!options.accountSid || !options.authToken) {
    throw new TypeError('twilioSms: accountSid and authToken are required without a client');
  }
  const base = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const user = options.apiKeySid ?? options.accountSid;
  const authorization = `Basic ${Buffer.from(`${user}:${options.authToken}`).toString('base64')}`;
  return {
    async send({ to, text }: SmsMessage, sendOptions?: SendOptions) {
      const form = new URLSearchParams({ To: to, Body: text });
      if (sender.from) form.set('From', sender.from);
      else form.set('MessagingServiceSid', sender.messagingServiceSid as string);
      const answer = await postToProvider(
        'twilio',
        url,
        {
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        },
        options,
        sendOptions,
      );
      if (answer.status >= 200 && answer.status < 300) return;
      throw twilioFailure(answer.status, {
        ...errorDetails(parseJson(answer.body)),
        ...optional('retryAfterMs', retryAfterMs(answer.headers, Date.now())),
      });
    },
  };
}

// Twilio's error body: { code, message, more_info, status }.
function errorDetails(body: unknown): ProviderDetails {
  if (typeof body !== 'object' || body === null) return {};
  const { code, message } = body as { code?: unknown; message?: unknown };
  return {
    ...optional('providerCode', typeof code === 'number' ? code : undefined),
    ...optional('detail', typeof message === 'string' ? message.slice(0, 300) : undefined),
  };
}

// The official client throws RestException ({ status, code, message }) for
// Twilio's answers and the HTTP library's error ({ code: 'ECONNRESET' … }) otherwise.
function clientFailure(cause: unknown): DeliveryError {
  const { status, code } = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    status?: unknown;
    code?: unknown;
  };
  if (typeof status === 'number') {
    return twilioFailure(status, errorDetails(cause));
  }
  const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED';
  return new DeliveryError({
    reason: timedOut ? 'timeout' : 'connection',
    retryable: true,
    provider: 'twilio',
    detail: typeof code === 'string' ? code : 'the Twilio client failed',
  });
}
