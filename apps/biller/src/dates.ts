// Calendar dates as 'YYYY-MM-DD' text: the form both contracts and the database use. The biller's business day
// is India's, whatever time zone the server runs in.

export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  // PostgreSQL has no year 0. setUTCFullYear, not Date.UTC, which reads the years 0-99 as 1900-1999.
  if (y < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const indianDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Kolkata',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in India (IST) at `instant`, as 'YYYY-MM-DD'. */
export function indianDateOf(instant: Date = new Date()): string {
  return indianDate.format(instant);
}
