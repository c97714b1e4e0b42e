// Built once: constructing an Intl formatter costs far more than formatting with one.
const UK_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in the service's time zone (UK), as YYYY-MM-DD: review dates are UK calendar dates. */
export function todayIso(now: Date = new Date()): string {
  return UK_DATE.format(now);
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes UK time is ahead of UTC at an instant (0 or 60). */
function londonOffsetMinutes(at: Date): number {
  const parts = LONDON.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a UK calendar day (YYYY-MM-DD) begins. */
export function startOfUkDay(isoDate: string): Date {
  const midnightUtc = new Date(`${isoDate}T00:00:00Z`).getTime();
  const first = midnightUtc - londonOffsetMinutes(new Date(midnightUtc)) * 60_000;
  const second = midnightUtc - londonOffsetMinutes(new Date(first)) * 60_000;
  return new Date(second);
}

/** The calendar day after a YYYY-MM-DD date. */
export const nextDay = (isoDate: string): string =>
  new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
