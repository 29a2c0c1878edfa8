import { describe, expect, it } from 'vitest';
import {
  advance,
  decodeFeedPosition,
  GAP_WAIT_MS,
  readFrom,
} from '../../../src/adapters/sql/feed-position.js';

const row = (seq: number, accountId = `a${seq}`) => ({ seq, accountId });

describe('the SQL change feed position', () => {
  it('reports a write that commits after a later one, once it shows up', () => {
    // 12 committed first; 11 (taken earlier) commits afterwards.
    const first = advance({ after: 10, gaps: [] }, [row(12)], 0);
    expect(first.fresh).toEqual(['a12']);
    expect(first.position).toEqual({ after: 12, gaps: [[11, 0]] });
    expect(readFrom(first.position)).toBe(10);
    const second = advance(first.position, [row(11), row(12)], 50);
    expect(second.fresh).toEqual(['a11']);
    expect(second.position).toEqual({ after: 12, gaps: [] });
  });

  it('gives up on a gap that never fills (a rolled-back write) after a while', () => {
    const gapped = advance({ after: 10, gaps: [] }, [row(12)], 0).position;
    expect(advance(gapped, [row(12)], GAP_WAIT_MS - 1).position.gaps).toEqual([[11, 0]]);
    expect(advance(gapped, [row(12)], GAP_WAIT_MS).position.gaps).toEqual([]);
  });

  it('keeps a bounded number of gaps when the sequence jumps far', () => {
    const jumped = advance({ after: 0, gaps: [] }, [row(1_000_000)], 0).position;
    expect(jumped.gaps.length).toBeLessThanOrEqual(1_000);
    expect(jumped.after).toBe(1_000_000);
  });

  it('reads back what it wrote, and starts over from nothing on garbage', () => {
    const position = { after: 41, gaps: [[40, 7]] as [number, number][] };
    expect(decodeFeedPosition(JSON.stringify(position))).toEqual(position);
    for (const garbage of ['', '{', '[]', '{"after":-1}', '{"after":"x"}']) {
      expect(decodeFeedPosition(garbage)).toEqual({ after: 0, gaps: [] });
    }
  });
});
