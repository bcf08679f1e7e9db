/**
 * A year as ISO 8601 writes it: four digits from 0000 to 9999, else a sign and six or more (the
 * expanded form `Date#toISOString` uses); at most nine, which every 64-bit count of milliseconds fits.
 */
const YEAR = '(\\d{4}|[+-]\\d{6,9})';
const ISO_DATE = new RegExp(`^${YEAR}-(\\d{2})-(\\d{2})$`);
const ISO_TIMESTAMP = new RegExp(
  `^${YEAR}-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(Z|([+-])(\\d{2}):(\\d{2}))?$`,
);
const ISO_TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const SECONDS_PER_DAY = 86_400;

/** How many digits of a second a count of time holds: milliseconds, microseconds or nanoseconds. */
export type FractionDigits = 3 | 6 | 9;

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not one. Parsed by hand because
 * `Date.parse` rolls 2024-02-30 over into March and reads years below 100 as 19xx.
 */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (match === null) return undefined;
  return epochDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The `YYYY-MM-DD` text of a count of days since 1970-01-01 (the date {@link parseIsoDate} reads). */
export function formatIsoDate(days: number): string {
  const [year, month, day] = civilDate(days);
  const yearText =
    year >= 0 && year <= 9999
      ? String(year).padStart(4, '0')
      : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return `${yearText}-${twoDigits(month)}-${twoDigits(day)}`;
}

/**
 * The count of 10^-`digits` seconds since 1970-01-01T00:00:00 of an ISO 8601 timestamp with seconds,
 * or undefined when it is not one or has non-zero digits below that unit. With `zoned`, the text must
 * name its zone (`Z` or `±hh:mm`), which is applied; without, it must name none (a local timestamp).
 */
export function parseIsoTimestamp(text: string, digits: FractionDigits, zoned: boolean): bigint | undefined {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone, sign, offsetHours, offsetMinutes] =
    match;
  if ((zone !== undefined) !== zoned) return undefined;
  const days = epochDay(Number(year), Number(month), Number(day));
  const secondOfDay = timeOfDay(hour!, minute!, second!);
  const below = fractionCount(fraction, digits);
  if (days === undefined || secondOfDay === undefined || below === undefined) return undefined;
  let offset = 0;
  if (sign !== undefined) {
    if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60;
  }
  const seconds = BigInt(days) * BigInt(SECONDS_PER_DAY) + BigInt(secondOfDay - offset);
  return seconds * 10n ** BigInt(digits) + BigInt(below);
}

/**
 * The ISO 8601 text of a count of 10^-`digits` seconds since 1970-01-01T00:00:00, with all `digits`
 * fraction digits, and with `Z` when `zoned` (the form {@link parseIsoTimestamp} reads). Computed in
 * bigints: no digit goes through floating point.
 */
export function formatIsoTimestamp(count: number | bigint, digits: FractionDigits, zoned: boolean): string {
  const perSecond = 10n ** BigInt(digits);
  const perDay = perSecond * BigInt(SECONDS_PER_DAY);
  const total = BigInt(count);
  let days = total / perDay;
  let rest = total % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  const time = formatTimeOfDay(Number(rest / perSecond), (rest % perSecond).toString(), digits);
  return `${formatIsoDate(Number(days))}T${time}${zoned ? 'Z' : ''}`;
}

/**
 * The count of 10^-`digits` seconds since midnight of an `HH:MM:SS[.fraction]` time of day, or
 * undefined when it is not one or has non-zero digits below that unit.
 */
export function parseIsoTime(text: string, digits: FractionDigits): number | undefined {
  const match = ISO_TIME.exec(text);
  if (match === null) return undefined;
  const secondOfDay = timeOfDay(match[1]!, match[2]!, match[3]!);
  const below = fractionCount(match[4] ?? '', digits);
  if (secondOfDay === undefined || below === undefined) return undefined;
  return secondOfDay * 10 ** digits + below;
}

/**
 * The `HH:MM:SS.fraction` text of a count of 10^-`digits` seconds since midnight, or undefined when
 * the count is no time of day (negative, or a day or more).
 */
export function formatIsoTime(count: number, digits: FractionDigits): string | undefined {
  const perSecond = 10 ** digits;
  if (!Number.isSafeInteger(count) || count < 0 || count >= SECONDS_PER_DAY * perSecond) return undefined;
  const below = count % perSecond;
  return formatTimeOfDay((count - below) / perSecond, String(below), digits);
}

function formatTimeOfDay(secondOfDay: number, fraction: string, digits: FractionDigits): string {
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay % 3600) / 60);
  return `${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(secondOfDay % 60)}.${fraction.padStart(digits, '0')}`;
}

function timeOfDay(hour: string, minute: string, second: string): number | undefined {
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  return (Number(hour) * 60 + Number(minute)) * 60 + Number(second);
}

/** The fraction as a count of 10^-`digits` seconds; undefined when digits below that unit are not zero. */
function fractionCount(fraction: string, digits: FractionDigits): number | undefined {
  const padded = fraction.padEnd(9, '0');
  if (!/^0*$/.test(padded.slice(digits))) return undefined;
  return Number(padded.slice(0, digits));
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil), undefined if invalid. */
function epochDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The proleptic Gregorian year, month and day of a count of days since 1970-01-01 (Hinnant's civil_from_days). */
function civilDate(days: number): [number, number, number] {
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
