// Money and time as the back office shows them: naira from kobo exactly (integer arithmetic, no floating
// point), times in Africa/Lagos with the zone named.

// 123456 -> "₦1,234.56"
export function naira(kobo: number | string | bigint): string {
  const k = BigInt(kobo);
  const abs = k < 0n ? -k : k;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${k < 0n ? '−' : ''}₦${whole}.${fraction}`;
}

export const LAGOS_ZONE = 'WAT (Africa/Lagos)';
const lagos = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Lagos',
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

// An RFC 3339 instant in Lagos time, the zone named.
export function lagosTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${lagos.format(d)} ${LAGOS_ZONE}`;
}

// A datetime-local value read as Lagos time ("2026-12-04T18:00") -> RFC 3339 UTC. Nigeria keeps West Africa
// Time (UTC+01:00) all year, with no daylight saving, so the offset is fixed.
export function lagosInputToUtc(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const d = new Date(`${value}:00+01:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace('.000Z', 'Z');
}

// Today's date in Lagos (UTC+01:00 all year): "2026-12-04".
export function lagosToday(): string {
  return new Date(Date.now() + 60 * 60 * 1000).toISOString().slice(0, 10);
}
