const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** An instant read from an ISO 8601 timestamp: epoch milliseconds and the microseconds below them. */
export interface IsoInstant {
  readonly millis: number;
  readonly microsOfMilli: number;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not one. Parsed by hand because
 * `Date.parse` rolls 2024-02-30 over into March and reads years below 100 as 19xx.
 */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (match === null) return undefined;
  return epochDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * The instant of an ISO 8601 timestamp with seconds and an explicit zone (`Z` or `±hh:mm`), or
 * undefined when it is not one or has nanoseconds a microsecond value would lose.
 */
export function parseIsoTimestamp(text: string): IsoInstant | undefined {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', sign, offsetHours, offsetMinutes] = match;
  const days = epochDay(Number(year), Number(month), Number(day));
  if (days === undefined || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const digits = fraction.padEnd(9, '0');
  if (Number(digits.slice(6)) !== 0) return undefined;
  let offset = 0;
  if (sign !== undefined) {
    if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  }
  const minutes = (days * 24 + Number(hour)) * 60 + Number(minute) - offset;
  return {
    millis: (minutes * 60 + Number(second)) * 1000 + Number(digits.slice(0, 3)),
    microsOfMilli: Number(digits.slice(3, 6)),
  };
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

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
