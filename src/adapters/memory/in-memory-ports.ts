import { cryptoKeyGenerator } from '../../core/system/crypto-key-generator.js';
import type { KeyGenerator } from '../../ports/key-generator.js';
import { type InMemoryAccountStore, inMemoryAccountStore } from './memory-account-store.js';
import {
  type InMemoryEmailSender,
  type InMemorySmsSender,
  inMemoryEmailSender,
  inMemorySmsSender,
} from './memory-senders.js';
import { type InMemoryUserDirectory, inMemoryUserDirectory } from './memory-user-directory.js';
import { type SettableClock, settableClock } from './settable-clock.js';

/**
 * A complete set of in-memory ports, as returned by {@link inMemoryPorts}.
 *
 * @example
 * ```ts
 * const ports: InMemoryPorts = inMemoryPorts();
 * ports.sms.sent; ports.email.sent; ports.clock.advance(1000); ports.directory.add('a@b.example');
 * ```
 */
export interface InMemoryPorts {
  readonly store: InMemoryAccountStore;
  readonly sms: InMemorySmsSender;
  readonly email: InMemoryEmailSender;
  readonly clock: SettableClock;
  readonly keys: KeyGenerator;
  readonly directory: InMemoryUserDirectory;
}

/**
 * A ready set of ports for tests, examples and prototypes: a store in memory,
 * senders that keep what they send, a settable clock starting at the real current
 * time, a real CSPRNG, and a user directory you can add to.
 *
 * @example
 * ```ts
 * const ports = inMemoryPorts();
 * const manager = new ApiAccountManager({ ...ports, claimUrl: (t) => `https://bo.example/claim?token=${t}` });
 * ```
 */
export function inMemoryPorts(): InMemoryPorts {
  return {
    store: inMemoryAccountStore(),
    sms: inMemorySmsSender(),
    email: inMemoryEmailSender(),
    clock: settableClock(),
    keys: cryptoKeyGenerator(),
    directory: inMemoryUserDirectory(),
  };
}
