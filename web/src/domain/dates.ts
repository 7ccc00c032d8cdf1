// Calendar dates, instants, "today" and ages in the deployment's time zone.
//
// A port of `crates/sathi-domain/src/dates.rs`. Both sides run `conformance/dates.json`. A date
// without a time is a `CalendarDate` (written `YYYY-MM-DD`) and never a JS `Date` at midnight, so
// it cannot move by a day in another zone. "Today" and ages come from a clock reading the caller
// passes in and the deployment's UTC offset, never from the device's zone. Everything here is
// integer arithmetic on day numbers, so no function reads the clock or the device's zone.

import type { DigitScript } from './config';
import { type DigitError, type Result, asciiDigits, cleanText, err, ok } from './text';

/** A day of the proleptic Gregorian calendar. `month` is 1-12 and `day` 1-31. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A typed date or timestamp that cannot be read. */
export type DateError = DigitError | { code: 'invalid_date_format' } | { code: 'impossible_date' };

/** The order of day, month and year that an import declares for all its rows. */
export type DateOrder = 'day_month_year' | 'month_day_year' | 'year_month_day';

/** The range of years that the server's `time::Date` can hold. */
export const MIN_DATE: CalendarDate = { year: -9999, month: 1, day: 1 };
export const MAX_DATE: CalendarDate = { year: 9999, month: 12, day: 31 };

const SECONDS_PER_DAY = 86_400;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Builds a date, or returns `null` when the day does not exist or the year is beyond ±9999. */
export function calendarDate(year: number, month: number, day: number): CalendarDate | null {
  const inRange = Number.isInteger(year) && Math.abs(year) <= 9999 && Number.isInteger(month) && Number.isInteger(day);
  if (!inRange || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return { year, month, day };
}

/** Returns a negative number, zero or a positive number as `a` is before, on or after `b`. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Counts the days from 1970-01-01 to `date`, negative before it (H. Hinnant's `days_from_civil`). */
export function epochDay(date: CalendarDate): number {
  const year = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const shiftedMonth = date.month > 2 ? date.month - 3 : date.month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + date.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Returns the date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`). */
export function dateFromEpochDay(days: number): CalendarDate {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Counts the whole days from `from` to `to`, negative when `to` is earlier. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return epochDay(to) - epochDay(from);
}

function digitsOnly(field: string): boolean {
  return field !== '' && /^[0-9]+$/.test(field);
}

/** Splits `text` into three non-empty runs of ASCII digits joined by one separator, `/`, `-` or `.`. */
function splitDateFields(text: string): { separator: string; fields: [string, string, string] } | null {
  const separator = [...text].find((c) => !/^[0-9]$/.test(c));
  if (separator === undefined || !['/', '-', '.'].includes(separator)) {
    return null;
  }
  const parts = text.split(separator);
  if (parts.length !== 3 || !parts.every(digitsOnly)) {
    return null;
  }
  return { separator, fields: [parts[0]!, parts[1]!, parts[2]!] };
}

function isIsoShape(separator: string, fields: readonly string[]): boolean {
  return separator === '-' && fields[0]!.length === 4 && fields[1]!.length === 2 && fields[2]!.length === 2;
}

function dateFromFields(year: string, month: string, day: string): Result<CalendarDate, DateError> {
  const date = calendarDate(Number(year), Number(month), Number(day));
  return date === null ? err({ code: 'impossible_date' }) : ok(date);
}

/**
 * Parses an ISO 8601 calendar date, `YYYY-MM-DD` with a four-digit year.
 *
 * The value is trimmed like `cleanText` and its digits converted with `asciiDigits`, so
 * `২০১৭-০৬-১৫` is 15 June 2017. A well-formed date that does not exist, such as `2015-02-31`,
 * is `impossible_date`.
 */
export function parseDate(input: string, accepted: readonly DigitScript[]): Result<CalendarDate, DateError> {
  const ascii = asciiDigits(cleanText(input), accepted);
  if (!ascii.ok) {
    return ascii;
  }
  const split = splitDateFields(ascii.value);
  if (split === null || !isIsoShape(split.separator, split.fields)) {
    return err({ code: 'invalid_date_format' });
  }
  const [year, month, day] = split.fields;
  return dateFromFields(year, month, day);
}

/**
 * Parses a date from an import in the declared `order`.
 *
 * The fields are separated by one of `/`, `-` or `.`, the year has four digits and the day and
 * month one or two. An ISO `YYYY-MM-DD` date is accepted whatever the order. Day and month are
 * never swapped to make a date fit, so `13/25/2020` in `day_month_year` is `impossible_date`.
 */
export function parseDateInOrder(
  input: string,
  order: DateOrder,
  accepted: readonly DigitScript[],
): Result<CalendarDate, DateError> {
  const ascii = asciiDigits(cleanText(input), accepted);
  if (!ascii.ok) {
    return ascii;
  }
  const split = splitDateFields(ascii.value);
  if (split === null) {
    return err({ code: 'invalid_date_format' });
  }
  const { separator, fields } = split;
  if (isIsoShape(separator, fields)) {
    return dateFromFields(fields[0], fields[1], fields[2]);
  }

  const [year, month, day] =
    order === 'day_month_year'
      ? [fields[2], fields[1], fields[0]]
      : order === 'month_day_year'
        ? [fields[2], fields[0], fields[1]]
        : fields;
  const isShort = (field: string) => field.length >= 1 && field.length <= 2;
  if (year.length !== 4 || !isShort(month) || !isShort(day)) {
    return err({ code: 'invalid_date_format' });
  }
  return dateFromFields(year, month, day);
}

/** Formats `date` as `YYYY-MM-DD` with ASCII digits, whatever the display locale. */
export function formatDate(date: CalendarDate): string {
  // Rust's `{:04}` counts a minus sign in the width, so year -5 is `-005`.
  const year = date.year < 0 ? `-${String(-date.year).padStart(3, '0')}` : String(date.year).padStart(4, '0');
  return `${year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Returns the calendar date at the instant `nowMs` (milliseconds since the Unix epoch) in the deployment's zone. */
export function today(nowMs: number, utcOffsetMinutes: number): CalendarDate {
  const localMs = nowMs + utcOffsetMinutes * 60_000;
  return dateFromEpochDay(Math.floor(localMs / (SECONDS_PER_DAY * 1000)));
}

/**
 * A moment in time with the UTC offset it is shown at, like the server's `time::OffsetDateTime`.
 * Nanoseconds are kept because RFC 3339 timestamps may carry them and JS `Date` would cut them to
 * milliseconds.
 */
export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00Z, negative before it. */
  readonly epochSeconds: number;
  /** 0 to 999 999 999. */
  readonly nanosecond: number;
  /** Minutes east of UTC. */
  readonly offsetMinutes: number;
}

/** Returns the instant as milliseconds since the Unix epoch, rounded down. */
export function instantEpochMs(instant: Instant): number {
  return instant.epochSeconds * 1000 + Math.floor(instant.nanosecond / 1_000_000);
}

/** Returns the same instant at another UTC offset, such as the deployment's, for display. */
export function inZone(instant: Instant, utcOffsetMinutes: number): Instant {
  return { ...instant, offsetMinutes: utcOffsetMinutes };
}

/** Returns whether two instants name the same moment, whatever their offsets. */
export function sameMoment(a: Instant, b: Instant): boolean {
  return a.epochSeconds === b.epochSeconds && a.nanosecond === b.nanosecond;
}

/**
 * Parses an RFC 3339 timestamp with a mandatory offset (`Z` or `+06:00`) as an instant.
 *
 * This follows the server's parser (the `time` 0.3 crate) exactly, including what RFC 3339
 * leaves open. Any one ASCII character may separate date and time, `z` is read as `Z`, more than
 * nine fraction digits are cut off, and a leap second (`23:59:60` UTC on the last day of a month)
 * is read as 23:59:59.999999999. A timestamp without an offset is `invalid_date_format`. A month
 * 13, hour 24, offset minute 60 or a day that does not exist is `impossible_date`, but month 00
 * and an offset hour above 23 are `invalid_date_format`.
 */
export function parseInstant(input: string): Result<Instant, DateError> {
  const text = cleanText(input);
  const format = err<DateError>({ code: 'invalid_date_format' });
  const impossible = err<DateError>({ code: 'impossible_date' });

  const shape = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(.)([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(.*)$/su.exec(text);
  if (shape === null) {
    return format;
  }
  const [, yearText, monthText, dayText, separator, hourText, minuteText, secondText, fraction, offsetText] = shape;
  if (separator!.codePointAt(0)! >= 0x80 || monthText === '00') {
    return format;
  }

  let offsetMinutes: number;
  if (offsetText === 'Z' || offsetText === 'z') {
    offsetMinutes = 0;
  } else {
    const offset = /^([+-])([0-9]{2}):([0-9]{2})$/.exec(offsetText!);
    if (offset === null || Number(offset[2]) > 23) {
      return format;
    }
    const minutes = Number(offset[3]);
    if (minutes > 59) {
      return impossible;
    }
    offsetMinutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + minutes);
  }

  let nanosecond = Number(((fraction ?? '.').slice(1) + '000000000').slice(0, 9));
  let second = Number(secondText);
  const isLeapSecond = second === 60;
  if (isLeapSecond) {
    second = 59;
    nanosecond = 999_999_999;
  }

  const date = calendarDate(Number(yearText), Number(monthText), Number(dayText));
  const hour = Number(hourText);
  const minute = Number(minuteText);
  if (date === null || hour > 23 || minute > 59 || second > 59) {
    return impossible;
  }

  const localSeconds = epochDay(date) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  const instant: Instant = { epochSeconds: localSeconds - offsetMinutes * 60, nanosecond, offsetMinutes };
  if (isLeapSecond && !isLastSecondOfUtcMonth(instant)) {
    return impossible;
  }
  return ok(instant);
}

function isLastSecondOfUtcMonth(instant: Instant): boolean {
  const utc = dateFromEpochDay(Math.floor(instant.epochSeconds / SECONDS_PER_DAY));
  const secondOfDay = instant.epochSeconds - epochDay(utc) * SECONDS_PER_DAY;
  return secondOfDay === SECONDS_PER_DAY - 1 && utc.day === daysInMonth(utc.year, utc.month);
}

/** Returns the calendar date and wall-clock time of `instant` at its own offset. */
export function localParts(instant: Instant): {
  date: CalendarDate;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
} {
  const localSeconds = instant.epochSeconds + instant.offsetMinutes * 60;
  const day = Math.floor(localSeconds / SECONDS_PER_DAY);
  const secondOfDay = localSeconds - day * SECONDS_PER_DAY;
  return {
    date: dateFromEpochDay(day),
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
    second: secondOfDay % 60,
    nanosecond: instant.nanosecond,
  };
}

/**
 * Formats `instant` as RFC 3339 at its own offset, the way the server does: fraction digits only
 * when the nanosecond is not zero and without trailing zeros, and `Z` for offset zero.
 *
 * Returns `null` when the local year is outside 0000-9999, which RFC 3339 cannot write.
 */
export function formatInstant(instant: Instant): string | null {
  const { date, hour, minute, second, nanosecond } = localParts(instant);
  if (date.year < 0 || date.year > 9999) {
    return null;
  }
  const pad = (value: number) => String(value).padStart(2, '0');
  let text = `${formatDate(date)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  if (nanosecond !== 0) {
    text += `.${String(nanosecond).padStart(9, '0').replace(/0+$/, '')}`;
  }
  if (instant.offsetMinutes === 0) {
    return `${text}Z`;
  }
  const sign = instant.offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(instant.offsetMinutes);
  return `${text}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
}

/**
 * Computes the age in whole calendar years on the date `on`.
 *
 * The age goes up on the birthday. A 29 February birthday is reached on 1 March in years without
 * 29 February. The result is negative when `dateOfBirth` is after `on`.
 */
export function ageYears(dateOfBirth: CalendarDate, on: CalendarDate): number {
  const years = on.year - dateOfBirth.year;
  const birthdayReached =
    on.month > dateOfBirth.month || (on.month === dateOfBirth.month && on.day >= dateOfBirth.day);
  return birthdayReached ? years : years - 1;
}

/** Returns the date `years` calendar years before `date`, or `null` before year -9999. */
function yearsBefore(date: CalendarDate, years: number): CalendarDate | null {
  const year = date.year - years;
  const isLeapDay = date.month === 2 && date.day === 29;
  const day = isLeapDay && !isLeapYear(year) ? 28 : date.day;
  return calendarDate(year, date.month, day);
}

/**
 * Computes the date of birth recorded for a child whose age is only estimated: `on` minus
 * `ageYears` calendar years.
 *
 * From 29 February, a target year without 29 February gives 28 February, so that `ageYears`
 * returns the stated age on `on`. Ages beyond year -9999 give {@link MIN_DATE}, as on the server.
 */
export function estimatedDateOfBirth(ageYears: number, on: CalendarDate): CalendarDate {
  return yearsBefore(on, ageYears) ?? MIN_DATE;
}

/** A closed range of whole-year ages, such as 6-11. `max: null` means "and older". */
export interface AgeRange {
  min: number;
  max: number | null;
}

/** The age groups used in reports unless a deployment configures its own. */
export const STANDARD_AGE_RANGES: readonly AgeRange[] = [
  { min: 0, max: 5 },
  { min: 6, max: 11 },
  { min: 12, max: 17 },
  { min: 18, max: null },
];

/** Returns whether `age` lies in `range`. A negative age never does. */
export function ageRangeContains(range: AgeRange, age: number): boolean {
  return age >= 0 && age >= range.min && (range.max === null || age <= range.max);
}

/** Returns the label shown in reports: `0-5`, or `18+` when there is no maximum. */
export function ageRangeLabel(range: AgeRange): string {
  return range.max === null ? `${range.min}+` : `${range.min}-${range.max}`;
}

/**
 * Returns the earliest and latest date of birth, both inclusive, of a person whose age on `asOf`
 * is in `range`. `null` means no bound on that side.
 *
 * When no date of birth qualifies (`min` above `max`, or `min` beyond year -9999), the earliest
 * date comes back after the latest.
 */
export function dateOfBirthBounds(
  range: AgeRange,
  asOf: CalendarDate,
): { earliest: CalendarDate | null; latest: CalendarDate | null } {
  const latest = yearsBefore(asOf, range.min);
  if (latest === null) {
    return { earliest: MAX_DATE, latest: MIN_DATE };
  }

  // Someone born on `limit` turns max + 1 on `asOf`, so the earliest date is the day after.
  const limit = range.max === null ? null : yearsBefore(asOf, range.max + 1);
  const earliest = limit === null || compareDates(limit, MAX_DATE) === 0 ? null : dateFromEpochDay(epochDay(limit) + 1);
  return { earliest, latest };
}
