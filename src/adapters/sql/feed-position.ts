/**
 * Where a reader of an SQL store's change feed stands: the highest event
 * sequence number it has read, and the numbers below that it has not seen
 * yet. A sequence number is taken when a write starts, not when it commits,
 * so a reader can see 12 before 11 commits; 11 stays a gap to read again
 * until it shows up or {@link GAP_WAIT_MS} passes (a rolled-back write never
 * fills its gap).
 *
 * @module
 */

/** Most events one page of the feed reads. */
export const FEED_PAGE_LIMIT = 10_000;

/** How long a gap is read again; every write of the stores is one short statement. */
export const GAP_WAIT_MS = 30_000;
/** Most gaps remembered; the oldest go first. */
const MAX_GAPS = 1_000;

/**
 * A position in the feed.
 */
export interface FeedPosition {
  /** The highest sequence number read. */
  readonly after: number;
  /** Sequence numbers below `after` not seen yet, with when each was first missed (ms). */
  readonly gaps: readonly (readonly [number, number])[];
}

/**
 * The position a feed string names; a malformed one starts from `after: 0`.
 */
export function decodeFeedPosition(text: string): FeedPosition {
  try {
    const value = JSON.parse(text) as Partial<FeedPosition>;
    const after = Number(value.after);
    const gaps = Array.isArray(value.gaps)
      ? value.gaps.filter(
          (gap): gap is [number, number] =>
            Array.isArray(gap) && Number.isSafeInteger(gap[0]) && Number.isFinite(gap[1]),
        )
      : [];
    return Number.isSafeInteger(after) && after >= 0 ? { after, gaps } : { after: 0, gaps: [] };
  } catch {
    return { after: 0, gaps: [] };
  }
}

/**
 * The lowest sequence number to read from (exclusive): below every open gap.
 */
export function readFrom(position: FeedPosition): number {
  return position.gaps.reduce((low, [seq]) => Math.min(low, seq - 1), position.after);
}

/**
 * The rows not seen before, and the position after them. `rows` are those with
 * a sequence number above {@link readFrom}, in order.
 */
export function advance(
  position: FeedPosition,
  rows: readonly { readonly seq: number; readonly accountId: string }[],
  nowMs: number,
): { readonly fresh: string[]; readonly position: FeedPosition } {
  const open = new Map(position.gaps.filter(([, since]) => nowMs - since < GAP_WAIT_MS));
  const fresh: string[] = [];
  let after = position.after;
  for (const { seq, accountId } of rows) {
    if (seq > after) {
      // Bounded: a sequence may jump far (PostgreSQL's after a crash); only the last numbers matter.
      for (let missing = Math.max(after + 1, seq - MAX_GAPS); missing < seq; missing++) {
        open.set(missing, nowMs);
      }
      after = seq;
      fresh.push(accountId);
    } else if (open.delete(seq)) {
      fresh.push(accountId);
    }
  }
  const gaps = [...open].sort((a, b) => a[0] - b[0]).slice(-MAX_GAPS);
  return { fresh, position: { after, gaps } };
}

/**
 * One read of an SQL store's change feed: `head()` gives the highest sequence
 * number (for a reader starting now), `after(low, limit)` the events above
 * `low` in sequence order.
 */
export async function readSqlFeed(
  position: string | null,
  read: {
    readonly head: () => Promise<number>;
    readonly after: (
      low: number,
      limit: number,
    ) => Promise<readonly { readonly seq: number | string; readonly account_id: string }[]>;
  },
): Promise<{ accountIds: string[]; position: string; more: boolean }> {
  if (position === null) {
    return {
      accountIds: [],
      position: JSON.stringify({ after: await read.head(), gaps: [] }),
      more: false,
    };
  }
  const from = decodeFeedPosition(position);
  const rows = await read.after(readFrom(from), FEED_PAGE_LIMIT);
  const next = advance(
    from,
    rows.map((row) => ({ seq: Number(row.seq), accountId: row.account_id })),
    Date.now(),
  );
  return {
    accountIds: next.fresh,
    position: JSON.stringify(next.position),
    more: rows.length === FEED_PAGE_LIMIT,
  };
}
