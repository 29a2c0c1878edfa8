import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/core/lru.js';

describe('Lru: bounded, nearly least recently used first', () => {
  it('evicts the oldest past its bound, telling onForget, and counts size', () => {
    const forgotten: [string, number][] = [];
    const lru = new Lru<number>(3, (key, value) => forgotten.push([key, value]));
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) lru.set(key, i);
    expect(lru.size).toBe(3);
    expect(lru.get('a')).toBeUndefined();
    expect(forgotten).toEqual([['a', 0]]);
    expect([lru.get('b'), lru.get('c'), lru.get('d')]).toEqual([1, 2, 3]);
  });

  it('moves an entry used in the older half to the young end, so it outlives newer ones', () => {
    const lru = new Lru<string>(4);
    for (const key of ['a', 'b', 'c', 'd']) lru.set(key, key);
    // 'a' has drifted into the older half: using it saves it from the next evictions.
    expect(lru.get('a')).toBe('a');
    lru.set('e', 'e');
    lru.set('f', 'f');
    expect(lru.get('a')).toBe('a');
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('c')).toBeUndefined();
  });

  it('forgets the value it replaces and the one it deletes; clear tells nobody', () => {
    const forgotten: string[] = [];
    const lru = new Lru<string>(10, (key, value) => forgotten.push(`${key}=${value}`));
    lru.set('a', '1');
    lru.set('a', '2');
    expect(lru.get('a')).toBe('2');
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    lru.set('b', '3');
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.get('b')).toBeUndefined();
    expect(forgotten).toEqual(['a=1', 'a=2']);
  });
});
