/**
 * When an injected fault fires, counted over the calls of the wrapped methods.
 *
 * - `always` — every call fails.
 * - `{ nth }` — only the nth call (1-based) fails.
 * - `{ from }` — the nth call and every later one fail.
 *
 * @example
 * ```ts
 * injectFaults(store, { methods: ['completeClaim'], when: { nth: 1 } }); // only the first completion fails
 * ```
 */
export type FaultSchedule = 'always' | { readonly nth: number } | { readonly from: number };

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
  /** `reject` returns a rejected promise; `throw` throws synchronously (which a careless core would miss). Default `reject`. */
  readonly how?: 'reject' | 'throw';
  /** What is thrown; default `new Error('injected fault')`. */
  readonly error?: () => unknown;
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
  let calls = 0;
  const fires = (): boolean => {
    calls += 1;
    const { when } = plan;
    if (when === 'always') return true;
    if ('nth' in when) return calls === when.nth;
    return calls >= when.from;
  };
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const affected = plan.methods === undefined || plan.methods.includes(property as keyof Port);
      if (!affected) return value.bind(target);
      return (...args: unknown[]) => {
        if (fires()) {
          const error = plan.error ? plan.error() : new Error('injected fault');
          if (plan.how === 'throw') throw error;
          return Promise.reject(error);
        }
        return value.apply(target, args);
      };
    },
  });
}
