// Words for the keys of dashboard figures and report rows, and for the filters a list applies,
// in the reader's language: risk levels, stages, camps, concerns, months, age ranges, people.

import { optionLabel } from './caseText';
import { type CaseFilter, filterQuery, NOT_RECORDED } from './caseFilter';
import type { Chip } from './components/FilterChips';
import type { Configuration } from './domain/config';
import type { Figure, PanelDimension } from './dashboard';
import { formatDate, intlLocale, label, localizeDigits, t } from './i18n';

/** Returns the name of place `code` in the configuration, or the code when it is unknown. */
export function locationLabel(config: Configuration | null, code: string): string {
  const place = config?.locations.find((location) => location.code === code);
  return place ? label(place.name) : code;
}

/** Returns the name of agency `id` in the configuration, or the id when it is unknown. */
export function agencyLabel(config: Configuration | null, id: string): string {
  const agency = config?.agencies.find((entry) => entry.id === id);
  return agency ? label(agency.name) : id;
}

/** Formats a month `YYYY-MM` as "November 2026" / "নভেম্বর ২০২৬". */
export function monthLabel(month: string): string {
  const [year, number] = month.split('-').map(Number);
  if (!year || !number) return month;
  const date = new Date(Date.UTC(year, number - 1, 15, 12));
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Formats a month `YYYY-MM` for a chart's axis as its short name. The panel names the months'
 * range with their years. */
export function monthAxisLabel(month: string): string {
  const [year, number] = month.split('-').map(Number);
  if (!year || !number) return month;
  const date = new Date(Date.UTC(year, number - 1, 15, 12));
  return new Intl.DateTimeFormat(intlLocale(), { month: 'short', timeZone: 'UTC' }).format(date);
}

/** Formats an age range key `0-5` or `18+` as "0–5 years". */
export function ageRangeText(key: string): string {
  return t('dash-age-range', { range: localizeDigits(key.replace('-', '–')) });
}

/** Returns the words for a figure's key along its panel's dimension. */
export function figureLabel(dimension: PanelDimension, figure: Figure, config: Configuration | null, people: ReadonlyMap<string, string> = new Map()): string {
  const key = figure.key;
  if (figure.label) return figure.label;
  if (key === NOT_RECORDED && dimension !== 'risk_level') return t('dash-key-none');
  switch (dimension) {
    case 'risk_level':
      return t(`risk-${key === 'high' || key === 'medium' || key === 'low' ? key : 'none'}`);
    case 'stage':
      return t(`stage-${key}`);
    case 'owner':
      return people.get(key) ?? t('dash-owner-unknown');
    case 'camp':
      return locationLabel(config, key);
    case 'concern':
      return optionLabel(config, 'protection_concern', key);
    case 'sex':
      return optionLabel(config, 'sex', key);
    case 'service':
      return optionLabel(config, 'service_type', key);
    case 'age_range':
      return key === 'unknown' ? t('dash-key-age-unknown') : ageRangeText(key);
    case 'month':
      return monthLabel(key);
    case 'agency':
      return agencyLabel(config, key);
    case 'bucket':
      return t(`dash-key-${key}`);
    case 'kind':
      return t(`dash-key-${key}`);
    case 'total':
      return t('dash-key-total');
  }
  return key;
}

/** Builds the chips of a case filter: the words of each filter, and the route of the list
 * without it. */
export function caseFilterChips(
  filter: CaseFilter,
  config: Configuration | null,
  people: ReadonlyMap<string, string>,
  routeOf: (filter: CaseFilter) => string,
): Chip[] {
  const chips: Chip[] = [];
  const add = (key: string, text: string, remove: (keyof CaseFilter)[]) => {
    const rest: CaseFilter = { ...filter };
    for (const name of remove) delete rest[name];
    chips.push({ key, text, removeHref: routeOf(rest) });
  };
  const notRecorded = (value: string, name: (value: string) => string) => (value === NOT_RECORDED ? t('dash-key-none') : name(value));

  if (filter.status) add('status', t(`status-${filter.status}`), ['status']);
  if (filter.risk_level) {
    const levels = filter.risk_level.split(',').map((level) => figureLabel('risk_level', { key: level, label: null, value: null, suppressed: false, list: null }, config));
    add('risk_level', levels.join(', '), ['risk_level']);
  }
  if (filter.stage) add('stage', t('filter-stage', { value: t(`stage-${filter.stage}`) }), ['stage']);
  if (filter.owner) add('owner', t('filter-owner', { name: people.get(filter.owner) ?? t('dash-owner-unknown') }), ['owner']);
  if (filter.agency) add('agency', t('filter-agency', { name: agencyLabel(config, filter.agency) }), ['agency']);
  if (filter.sex) add('sex', t('filter-sex', { value: notRecorded(filter.sex, (value) => optionLabel(config, 'sex', value)) }), ['sex']);
  if (filter.age_min !== undefined || filter.age_max !== undefined) {
    const range = filter.age_max === undefined ? `${filter.age_min}+` : `${filter.age_min ?? 0}-${filter.age_max}`;
    const text = filter.as_of ? t('filter-age-on', { range: ageRangeText(range), date: formatDate(filter.as_of) }) : ageRangeText(range);
    add('age', text, ['age_min', 'age_max', 'as_of']);
  } else if (filter.as_of) {
    add('as_of', t('filter-as-of', { date: formatDate(filter.as_of) }), ['as_of']);
  }
  if (filter.age_unknown) add('age_unknown', t('dash-key-age-unknown'), ['age_unknown']);
  if (filter.location) add('location', t('filter-location', { name: notRecorded(filter.location, (code) => locationLabel(config, code)) }), ['location']);
  if (filter.protection_concern) {
    const concern = notRecorded(filter.protection_concern, (value) => optionLabel(config, 'protection_concern', value));
    add('protection_concern', t('filter-concern', { name: concern }), ['protection_concern']);
  }
  if (filter.registered_from || filter.registered_to) {
    add('registered', t('filter-registered', { range: dateRangeText(filter.registered_from, filter.registered_to) }), ['registered_from', 'registered_to']);
  }
  if (filter.closed_from || filter.closed_to) {
    add('closed', t('filter-closed', { range: dateRangeText(filter.closed_from, filter.closed_to) }), ['closed_from', 'closed_to']);
  }
  if (filter.assessed) add('assessed', t(filter.assessed === 'true' ? 'filter-assessed' : 'filter-not-assessed'), ['assessed']);
  if (filter.case_plan_approved) {
    add('case_plan_approved', t(filter.case_plan_approved === 'true' ? 'filter-case-plan-approved' : 'filter-case-plan-not-approved'), ['case_plan_approved']);
  }
  return chips;
}

/** Formats an inclusive date range whose ends may be missing. */
function dateRangeText(from: string | undefined, to: string | undefined): string {
  if (from && to) return from === to ? formatDate(from) : t('filter-range', { from: formatDate(from), to: formatDate(to) });
  if (from) return t('filter-from', { date: formatDate(from) });
  return t('filter-to', { date: formatDate(to) });
}

/**
 * Returns the route of the case list for a filter. The list's route reads an absent status as
 * "open" (the list's usual view), while the filter reads it as every status, as `GET /cases`
 * does, so a filter without a status is written with `status=all`.
 */
export function caseListHref(filter: CaseFilter, server = false): string {
  const query = filterQuery(filter);
  const status = filter.status ? '' : 'status=all';
  const parts = [status, query, server ? 'source=server' : ''].filter(Boolean);
  return `#/cases?${parts.join('&')}`;
}
