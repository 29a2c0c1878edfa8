import type { QuotaStatus, UsageDay } from 'api-accounts';
import { h } from './layout.js';

const DAY_MS = 86_400_000;
const DAYS = 30;

/** What the account page shows of an account's use: this period against its quota, and the last 30 days. */
export interface UsageView {
  readonly quota: QuotaStatus | null;
  readonly days: readonly UsageDay[];
  readonly today: Date;
}

/**
 * The use card: a meter of the period's calls against the quota, and a bar
 * chart of the last 30 days, accepted calls stacked under refused ones, so
 * that a glance shows the trend and the day the refusals began.
 */
export function usageCard(view: UsageView): string {
  return `<div class="card"><h2>Use</h2>
${quotaMeter(view.quota)}
${dailyChart(view.days, view.today)}
</div>`;
}

function quotaMeter(quota: QuotaStatus | null): string {
  if (!quota) return '<p>No quota: calls are not metered.</p>';
  const share = Math.min(1, quota.used / quota.limit);
  const level = share >= 1 ? 'over' : share >= 0.8 ? 'high' : 'ok';
  const resets = h(quota.resetsAt.toISOString().slice(0, 16).replace('T', ' '));
  return `<p><strong>${quota.used.toLocaleString('en')}</strong> of ${quota.limit.toLocaleString('en')} calls this ${quota.period} (UTC); ${share >= 1 ? `further calls are refused until ${resets} UTC` : `the count starts again at ${resets} UTC`}.</p>
<div class="meter ${level}" role="meter" aria-label="Quota used" aria-valuemin="0" aria-valuemax="${quota.limit}" aria-valuenow="${quota.used}"><span style="width:${(share * 100).toFixed(1)}%"></span></div>`;
}

function dailyChart(days: readonly UsageDay[], today: Date): string {
  const byDay = new Map(days.map((day) => [day.day, day]));
  const last = Math.floor(today.getTime() / DAY_MS) * DAY_MS;
  const series = Array.from({ length: DAYS }, (_, i) => {
    const day = new Date(last - (DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10);
    return byDay.get(day) ?? { day, accepted: 0, refused: 0 };
  });
  const busiest = Math.max(...series.map((d) => d.accepted + d.refused));
  const peak = Math.max(1, busiest);
  const [width, height, bar] = [DAYS * 12, 80, 9];
  const y = (n: number) => (n / peak) * height;
  const bars = series
    .map((d, i) => {
      const accepted = y(d.accepted);
      const refused = y(d.refused);
      const x = i * 12;
      return `<g><title>${d.day}: ${d.accepted} accepted, ${d.refused} refused</title><rect class="accepted" x="${x}" y="${(height - accepted).toFixed(1)}" width="${bar}" height="${accepted.toFixed(1)}"/><rect class="refused" x="${x}" y="${(height - accepted - refused).toFixed(1)}" width="${bar}" height="${refused.toFixed(1)}"/></g>`;
    })
    .join('');
  const total = (key: 'accepted' | 'refused') => series.reduce((sum, d) => sum + d[key], 0);
  return `<figure class="chart">
<svg viewBox="0 0 ${width} ${height + 1}" width="${width}" height="${height + 1}" role="img" aria-label="Calls per day, last ${DAYS} days: ${total('accepted')} accepted, ${total('refused')} refused">${bars}<line class="axis" x1="0" y1="${height + 0.5}" x2="${width}" y2="${height + 0.5}"/></svg>
<figcaption>Last ${DAYS} days (UTC): <span class="key accepted"></span> ${total('accepted')} accepted · <span class="key refused"></span> ${total('refused')} refused${busiest > 0 ? ` · busiest day ${busiest}` : ' · no calls yet'}</figcaption>
</figure>`;
}
