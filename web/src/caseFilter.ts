// The case list filters of `GET /api/v1/cases`, applied to the cases on this device with the
// server's semantics, so a figure of the offline dashboard and the list it opens count the same
// cases: both call `caseMatcher`.
//
// A filter is the query parameters of `GET /cases` as strings. `none` for `risk_level`, `sex`,
// `location` or `protection_concern` means "not recorded". Ages are whole years on `as_of`
// (today by default), with a birthday on that date already counted. Dates compare as
// `YYYY-MM-DD` text, which orders like the dates themselves.

import { type CalendarDate, compareDates, dateOfBirthBounds, formatDate } from './domain/dates';
import { storedDate } from './domain/due';
import type { LocalCase } from './model';

/** The query parameters of `GET /cases` that filter, in the order chips show them. */
export const FILTER_KEYS = [
  'status',
  'risk_level',
  'stage',
  'owner',
  'agency',
  'sex',
  'age_min',
  'age_max',
  'age_unknown',
  'as_of',
  'location',
  'protection_concern',
  'registered_from',
  'registered_to',
  'closed_from',
  'closed_to',
  'assessed',
  'case_plan_approved',
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];

/** A case filter: each present key narrows the list. */
export type CaseFilter = Partial<Record<FilterKey, string>>;

/** The value of `risk_level`, `sex`, `location` and `protection_concern` that matches cases
 * where the field is not recorded. */
export const NOT_RECORDED = 'none';

const DATE_KEYS: FilterKey[] = ['as_of', 'registered_from', 'registered_to', 'closed_from', 'closed_to'];
/** Keys that take `true` or `false`: whether a date is recorded. */
const FLAG_KEYS: FilterKey[] = ['assessed', 'case_plan_approved'];

/**
 * Reads a filter from query parameters and keeps the known keys with a valid value. Ages are
 * whole numbers (Bengali digits accepted) and dates `YYYY-MM-DD`. `assessed` and
 * `case_plan_approved` take `true` or `false`, and `age_unknown` only `true`. `status` is `open`
 * or `closed`, because `all` and an absent status both mean every status.
 */
export function parseFilter(params: URLSearchParams | Record<string, string>): CaseFilter {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const filter: CaseFilter = {};
  for (const [key, raw] of entries) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) continue;
    const value = raw.trim();
    if (value === '') continue;
    const name = key as FilterKey;
    if (name === 'status') {
      if (value === 'open' || value === 'closed') filter.status = value;
    } else if (name === 'age_min' || name === 'age_max') {
      const digits = value.replace(/[\u09e6-\u09ef]/g, (digit) => String(digit.charCodeAt(0) - 0x09e6));
      if (/^[0-9]{1,3}$/.test(digits) && Number(digits) <= 150) filter[name] = String(Number(digits));
    } else if (DATE_KEYS.includes(name)) {
      if (storedDate(value) !== null) filter[name] = value;
    } else if (name === 'age_unknown') {
      // `age_unknown=false` filters nothing, as on the server.
      if (value === 'true') filter.age_unknown = 'true';
    } else if (FLAG_KEYS.includes(name)) {
      if (value === 'true' || value === 'false') filter[name] = value;
    } else {
      filter[name] = value;
    }
  }
  return filter;
}

/** Reads the filter of a case list route: as `parseFilter`, but an absent status means open
 * cases, the list's usual view, and `status=all` lists every status. */
export function routeFilter(params: Record<string, string> | undefined): CaseFilter {
  const filter = parseFilter(params ?? {});
  if (!params || !('status' in params)) filter.status = 'open';
  return filter;
}

/** Writes a filter as a query string without the leading `?`, keys in `FILTER_KEYS` order. */
export function filterQuery(filter: CaseFilter): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  return params.toString();
}

/** The facts a filter needs besides the case: today in the deployment's zone. */
export interface FilterContext {
  today: CalendarDate;
}

/** A filter turned into checks once, so that a list of thousands of cases is filtered fast. */
type Check = (record: LocalCase) => boolean;

/** Returns a predicate that is true for a case on this device when `GET /cases` with the same
 * parameters would list it. */
export function caseMatcher(filter: CaseFilter, context: FilterContext): Check {
  const checks: Check[] = [];

  if (filter.status) {
    const status = filter.status;
    checks.push((record) => record.status === status);
  }
  if (filter.risk_level) checks.push(textIn('risk_level', filter.risk_level.split(',').map((level) => level.trim())));
  if (filter.sex) checks.push(textIn('sex', [filter.sex]));
  if (filter.stage) {
    const stage = filter.stage;
    checks.push((record) => record.stage === stage);
  }
  if (filter.owner) {
    const owner = filter.owner;
    checks.push((record) => record.owner_id === owner);
  }
  if (filter.agency) {
    const agency = filter.agency;
    checks.push((record) => record.owner_agency_id === agency);
  }

  const ages = ageCheck(filter, context);
  if (ages) checks.push(ages);
  if (filter.age_unknown === 'true') checks.push((record) => storedDate(record.data.date_of_birth) === null);
  if (filter.location) checks.push(locationCheck(filter.location));
  if (filter.protection_concern) checks.push(concernCheck(filter.protection_concern));

  const registered = dateRangeCheck('registration_date', filter.registered_from, filter.registered_to);
  if (registered) checks.push(registered);
  const closed = dateRangeCheck('closure_date', filter.closed_from, filter.closed_to);
  if (closed) checks.push(closed);
  if (filter.assessed) checks.push(recordedCheck('assessment_completed_on', filter.assessed === 'true'));
  if (filter.case_plan_approved) checks.push(recordedCheck('case_plan_approved_on', filter.case_plan_approved === 'true'));

  return (record) => checks.every((check) => check(record));
}

/** Returns the cases of `records` that match `filter`, in their order. */
export function filterCases(records: readonly LocalCase[], filter: CaseFilter, context: FilterContext): LocalCase[] {
  const matches = caseMatcher(filter, context);
  return records.filter(matches);
}

/** Counts the cases of `records` that match `filter`. */
export function countCases(records: readonly LocalCase[], filter: CaseFilter, context: FilterContext): number {
  const matches = caseMatcher(filter, context);
  let count = 0;
  for (const record of records) if (matches(record)) count += 1;
  return count;
}

/** Returns the text of field `key`, or null when it is not text (absent, null, a number...),
 * as the server's indexed columns read it. */
function textOf(record: LocalCase, key: string): string | null {
  const value = record.data[key];
  return typeof value === 'string' ? value : null;
}

/** Matches a text field against a list of values, where `none` matches a field not recorded. */
function textIn(key: string, values: string[]): Check {
  const wanted = new Set(values.filter((value) => value !== NOT_RECORDED));
  const orNone = values.includes(NOT_RECORDED);
  return (record) => {
    const value = textOf(record, key);
    return value === null ? orNone : wanted.has(value);
  };
}

/** Matches a location code and every place inside it: codes are hierarchical
 * (`BD-CTG-CXB-UKH-C01E-A` is in `BD-CTG-CXB-UKH-C01E`). */
function locationCheck(code: string): Check {
  if (code === NOT_RECORDED) return (record) => textOf(record, 'location_current') === null;
  const prefix = `${code}-`;
  return (record) => {
    const place = textOf(record, 'location_current');
    return place !== null && (place === code || place.startsWith(prefix));
  };
}

/** Returns the protection concerns recorded on a case, as the server's `case_concerns` rows. */
function concernsOf(record: LocalCase): string[] {
  const value = record.data.protection_concerns;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function concernCheck(concern: string): Check {
  if (concern === NOT_RECORDED) return (record) => concernsOf(record).length === 0;
  return (record) => concernsOf(record).includes(concern);
}

/** Turns `age_min` and `age_max` into a date-of-birth range on `as_of`, as the server does. A
 * case without a valid date of birth matches no age range. */
function ageCheck(filter: CaseFilter, context: FilterContext): Check | null {
  if (filter.age_min === undefined && filter.age_max === undefined) return null;
  const min = filter.age_min === undefined ? 0 : Number(filter.age_min);
  const max = filter.age_max === undefined ? null : Number(filter.age_max);
  const asOf = (filter.as_of && storedDate(filter.as_of)) || context.today;
  const { earliest, latest } = dateOfBirthBounds({ min, max }, asOf);
  return (record) => {
    const born = storedDate(record.data.date_of_birth);
    if (born === null) return false;
    if (earliest !== null && compareDates(born, earliest) < 0) return false;
    return latest === null || compareDates(born, latest) <= 0;
  };
}

/** Matches a date field between two inclusive bounds; a case without the date matches no range. */
function dateRangeCheck(key: string, from: string | undefined, to: string | undefined): Check | null {
  if (from === undefined && to === undefined) return null;
  return (record) => {
    const date = storedDate(record.data[key]);
    if (date === null) return false;
    const text = formatDate(date);
    return (from === undefined || text >= from) && (to === undefined || text <= to);
  };
}

/** Matches cases where date field `key` is recorded (`recorded`) or not. */
function recordedCheck(key: string, recorded: boolean): Check {
  return (record) => (storedDate(record.data[key]) !== null) === recorded;
}
