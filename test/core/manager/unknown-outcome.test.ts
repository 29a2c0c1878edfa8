import { inMemoryPorts } from 'api-accounts';
import { injectFaults } from 'api-accounts/testing';
import { describe, expect, it } from 'vitest';
import { accountWithKey, admin, world } from '../../helpers.js';

describe('a change whose store answer is lost', () => {
  for (const change of ['reset', 'deactivate'] as const) {
    it(`(${change}) still drops the cached verdict, so the key stops at once`, async () => {
      const ports = inMemoryPorts();
      let lose = false;
      const store = injectFaults(ports.store, {
        methods: ['applyAccountChange'],
        when: 'always',
        how: 'lose-answer',
        enabled: () => lose,
      });
      const w = world({ store, verifyCache: { ttlMs: 60_000 } }, ports);
      const { id, apiKey } = await accountWithKey(w);
      expect((await w.manager.verifyApiKey(apiKey)).isOk()).toBe(true); // now cached

      lose = true;
      const result =
        change === 'reset'
          ? await w.manager.resetApiKey(admin, id, { confirm: true })
          : await w.manager.deactivateAccount(admin, id);
      lose = false;
      expect(result._unsafeUnwrapErr().type).toBe('StoreUnavailable');
      // The store did apply it; the cache must not hide that.
      expect((await w.manager.verifyApiKey(apiKey)).isErr()).toBe(true);
    });
  }
});
