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
