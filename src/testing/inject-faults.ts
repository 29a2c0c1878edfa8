/**
 * When an injected fault fires, counted over the calls of the wrapped methods.
 *
 * - `always` — every call fails.
 * - `{ nth }` — only the nth call (1-based) fails.
 * - `{ from }` — the nth call and every later one fail.
 * - `{ probability, seed }` — each call fails with this probability, from a
 *   seeded generator, so a failing drill replays exactly with the same seed.
 *
 * @example
 * ```ts
 * injectFaults(store, { methods: ['completeClaim'], when: { nth: 1 } }); // only the first completion fails
 * injectFaults(store, { when: { probability: 0.2, seed: 42 } });       // one call in five, reproducibly
 * ```
 */
export type FaultSchedule =
  | 'always'
  | { readonly nth: number }
  | { readonly from: number }
  | { readonly probability: number; readonly seed: number };

/**
 * What a fault does to the call it hits.
 *
 * - `reject` — a rejected promise; the real method is not called.
 * - `throw` — a synchronous throw (which a careless core would miss); not called.
 * - `delay` — waits `delayMs`, then calls through: a slow port (the answer
 *   becomes a promise, so use it on the `Promise` ports).
 * - `malformed` — calls through, then answers `malformed()` instead: a port
 *   returning data of the wrong shape (the effect may have happened).
 * - `lose-answer` — calls through, then rejects: the effect happened but the
 *   caller never hears so, as when a connection drops after a commit.
 *
 * @example
 * ```ts
 * const kinds: FaultKind[] = ['reject', 'lose-answer'];
 * ```
 */
export type FaultKind = 'reject' | 'throw' | 'delay' | 'malformed' | 'lose-answer';

/**
 * How {@link injectFaults} breaks a port.
 *
 * @example
 * ```ts
 * const plan: FaultPlan<SmsSender> = { methods: ['send'], when: 'always', how: 'reject' };
 * ```
 */
export interface FaultPlan<Port> {
  /** Which methods fail; default all. */
  readonly methods?: readonly (keyof Port)[];
  readonly when: FaultSchedule;
  /** What a fault does; with several, each fault picks one (seeded). Default `reject`. */
  readonly how?: FaultKind | readonly FaultKind[];
  /** What is thrown or rejected with; default `new Error('injected fault')`. */
  readonly error?: () => unknown;
  /** How long `delay` waits. Default 50 ms. */
  readonly delayMs?: number;
  /** What `malformed` answers. Default `{ malformed: true }`. */
  readonly malformed?: () => unknown;
  /** Faults fire only while this says so (calls still count). Default always. */
  readonly enabled?: () => boolean;
  /** Told of every fault that fires, e.g. to print a drill's log. */
  readonly onFault?: (method: string, kind: FaultKind) => void;
}

/**
 * A port wrapped so that some of its calls fail; the others pass through to the
 * real port. For drills on any port, the in-memory ones or a host's own.
 *
 * @example
 * ```ts
 * const ports = inMemoryPorts();
 * const sms = injectFaults(ports.sms, { when: 'always' });
 * const manager = new ApiAccountManager({ ...ports, sms, claimUrl });
 * // createAccount still succeeds, with delivery.sms.status === 'failed'
 * ```
 */
export function injectFaults<Port extends object>(port: Port, plan: FaultPlan<Port>): Port {
  const { when } = plan;
  const random = seededRandom(typeof when === 'object' && 'seed' in when ? when.seed : 1);
  const kinds: readonly FaultKind[] =
    typeof plan.how === 'string' ? [plan.how] : (plan.how ?? ['reject']);
  let calls = 0;
  const fires = (): boolean => {
    calls += 1;
    let due: boolean;
    if (when === 'always') due = true;
    else if ('nth' in when) due = calls === when.nth;
    else if ('from' in when) due = calls >= when.from;
    else due = random() < when.probability;
    return due && (plan.enabled?.() ?? true);
  };
  const failure = () => (plan.error ? plan.error() : new Error('injected fault'));
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const affected = plan.methods === undefined || plan.methods.includes(property as keyof Port);
      if (!affected) return value.bind(target);
      return (...args: unknown[]) => {
        if (!fires()) return value.apply(target, args);
        const kind = kinds[Math.floor(random() * kinds.length)] ?? 'reject';
        plan.onFault?.(String(property), kind);
        const garbage = () => (plan.malformed ? plan.malformed() : { malformed: true });
        switch (kind) {
          case 'throw':
            throw failure();
          case 'delay':
            return new Promise((resolve) => setTimeout(resolve, plan.delayMs ?? 50)).then(() =>
              value.apply(target, args),
            );
          case 'malformed': {
            // A synchronous port (Clock, KeyGenerator) gets its garbage synchronously.
            const answer: unknown = value.apply(target, args);
            return isThenable(answer) ? Promise.resolve(answer).then(garbage) : garbage();
          }
          case 'lose-answer': {
            const answer: unknown = value.apply(target, args);
            if (!isThenable(answer)) throw failure();
            return Promise.resolve(answer).then(() => Promise.reject(failure()));
          }
          default:
            return Promise.reject(failure());
        }
      };
    },
  });
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** mulberry32: a tiny, fast, seedable generator; plenty for choosing faults. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
