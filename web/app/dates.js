// Calendar-date helpers. Business dates are plain "YYYY-MM-DD" strings in
// China Standard Time (docs/api.md), whatever the browser's own zone is, so
// the arithmetic here works on UTC dates and never on local midnights.

const cstDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export const WEEKDAY_NAMES = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];
export const WEEKDAY_SHORT = ['一', '二', '三', '四', '五', '六', '日'];

function pad(n) {
  return String(n).padStart(2, '0');
}

/** "YYYY-MM-DD" for a year, month (1–12) and day. */
export function isoDate(year, month, day) {
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** Today's date in China Standard Time. */
export function todayCST(now = new Date()) {
  return cstDate.format(now);
}

/** Parse "YYYY-MM-DD" into {year, month, day}, or null when it is no real date. */
export function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ''));
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Weekday of a date, 1 = Monday … 7 = Sunday (the API's numbering). */
export function weekday(year, month, day) {
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

/** The date n days after (or before, n < 0) the given one. */
export function addDays(text, n) {
  const d = parseDate(text);
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The same day n years later; 29 February becomes 28 February. */
export function addYears(text, n) {
  const d = parseDate(text);
  const year = d.year + n;
  return isoDate(year, d.month, Math.min(d.day, daysInMonth(year, d.month)));
}

/** "2025-01-28" → "2025年1月28日"; other text is returned unchanged. */
export function formatDateCN(text) {
  const d = parseDate(text);
  return d ? `${d.year}年${d.month}月${d.day}日` : String(text || '');
}

/** "2025-01-28" → "1月28日". */
export function formatMonthDay(text) {
  const d = parseDate(text);
  return d ? `${d.month}月${d.day}日` : String(text || '');
}
