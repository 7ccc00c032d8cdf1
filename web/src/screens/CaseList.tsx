import { useEffect, useMemo, useState } from 'preact/hooks';
import { type CaseFilter, filterCases, filterQuery, routeFilter } from '../caseFilter';
import { caseAge, caseName, optionLabel, placeName } from '../caseText';
import { ExportPanel } from '../components/ExportPanel';
import { FilterChips } from '../components/FilterChips';
import { FlagIcon } from '../components/FlagList';
import { RiskBadge } from '../components/RiskBadge';
import { scopeOf } from '../domain/config';
import { formatDate as isoDate, today } from '../domain/dates';
import { nameSearchKey, searchTokens } from '../domain/text';
import { caseFilterChips, caseListHref } from '../figureText';
import { t } from '../i18n';
import type { LocalCase } from '../model';
import { knownPeople } from '../people';
import { goTo, href, route } from '../router';
import { session } from '../session';
import { cases } from '../sync';
import { ServerCaseList } from './ServerCaseList';
import { SyncBadge } from './SyncStatus';

type Sort = 'updated' | 'name' | 'risk' | 'registered';
const RISK_ORDER: Record<string, number> = { high: 0, medium: 1, low: 2 };
/** Rows a result shows at most; the search narrows larger caseloads. */
const MAX_ROWS = 200;
/** Rows rendered at once for a new result, more than a phone screen holds. The rest follow when
 * the phone is idle, so each keystroke of a search shows its result without rendering 200 rows. */
const FIRST_ROWS = 15;
/** Pause after a result before its remaining rows render; another keystroke within it cancels them. */
const REST_OF_ROWS_DELAY_MS = 300;

// Folding names is the costly part of searching 5,000 cases, so each case's keys are computed
// once per version of the case (a changed case is a new object).
const searchKeys = new WeakMap<LocalCase, string[]>();
const nameKeys = new WeakMap<LocalCase, string>();

/** Returns the words a search matches: the child's names, other spellings and the display id. */
function searchWords(record: LocalCase): string[] {
  let words = searchKeys.get(record);
  if (!words) {
    words = searchKey(record).split(' ');
    searchKeys.set(record, words);
  }
  return words;
}

function nameKey(record: LocalCase): string {
  let key = nameKeys.get(record);
  if (key === undefined) {
    key = nameSearchKey(caseName(record));
    nameKeys.set(record, key);
  }
  return key;
}

/** Folds the names of `records` in idle time, a slice at a time, so the first search of a
 * freshly loaded caseload is as fast as the next. Returns a function that stops it. */
function warmSearchKeys(records: LocalCase[]): () => void {
  let index = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const step = () => {
    const until = performance.now() + 8;
    while (index < records.length && performance.now() < until) searchWords(records[index++]);
    if (index < records.length) timer = setTimeout(step, 0);
  };
  timer = setTimeout(step, 200);
  return () => clearTimeout(timer);
}

/** Compares ISO 8601 timestamps or dates, newest first, without the cost of localeCompare. */
function newestFirst(a: string, b: string): number {
  if (a < b) return 1;
  if (a > b) return -1;
  return 0;
}

function searchKey(record: LocalCase): string {
  const names = ['name_first', 'name_middle', 'name_last', 'name_nickname', 'name_other_spellings']
    .map((key) => record.data[key])
    .filter((value): value is string => typeof value === 'string');
  // The display id goes through the same folding as the query, which splits CXB-7K2MQA at the hyphen.
  return `${nameSearchKey(names.join(' '))} ${nameSearchKey(record.display_id)}`;
}

/**
 * The case list. The filters are the route's query parameters (caseFilter.ts: the parameters of
 * `GET /cases`, which the dashboard's figures open); without a status the list shows open cases.
 * With `source=server`, the list comes from `GET /cases` page by page instead of this phone.
 */
export function CaseList() {
  const here = route.value;
  const params = here.name === 'cases' ? here.params : undefined;
  if (here.name === 'cases' && here.server) return <ServerCaseList params={params} />;
  return <LocalCaseList params={params} />;
}

function LocalCaseList({ params }: { params?: Record<string, string> }) {
  const config = session.value?.configuration ?? null;
  const all = cases.value;
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>('updated');
  const paramsKey = JSON.stringify(params ?? {});
  const filter = useMemo(() => routeFilter(params), [paramsKey]);
  const offset = config?.deployment.utc_offset_minutes ?? 360;
  const todayIso = isoDate(today(Date.now(), offset));

  const role = config?.roles.find((entry) => entry.id === session.value?.user.role_id);
  const readScope = role ? scopeOf(role, 'read') : 'own';
  const shown = useMemo(() => {
    const tokens = searchTokens(query);
    const filtered = filterCases(all, filter, { today: today(Date.now(), offset) }).filter((record) => {
      if (tokens.length === 0) {
        // A query without name words ("%", an emoji) can only be a display id, as on the server.
        return query.trim() === '' || record.display_id.toLowerCase() === query.trim().toLowerCase();
      }
      const words = searchWords(record);
      return tokens.every((token) => words.some((word) => word.startsWith(token)));
    });
    const byName = (a: LocalCase, b: LocalCase) => nameKey(a).localeCompare(nameKey(b));
    const compare: Record<Sort, (a: LocalCase, b: LocalCase) => number> = {
      updated: (a, b) => newestFirst(a.updated_at, b.updated_at),
      name: byName,
      risk: (a, b) => (RISK_ORDER[String(a.data.risk_level)] ?? 3) - (RISK_ORDER[String(b.data.risk_level)] ?? 3) || newestFirst(a.updated_at, b.updated_at),
      registered: (a, b) => newestFirst(String(a.data.registration_date ?? ''), String(b.data.registration_date ?? '')),
    };
    return [...filtered].sort(compare[sort]);
  }, [all, query, filter, sort, todayIso]);
  // The plain list's usual "open" is the status select's, not a filter of the route.
  const chips = params ? caseFilterChips(filter, config, knownPeople(), (rest) => caseListHref(rest)) : [];
  const choose = (changes: CaseFilter) => goTo(caseListHref({ ...filter, ...changes }));

  useEffect(() => warmSearchKeys(all), [all]);

  // The result whose remaining rows have been rendered; any other result shows FIRST_ROWS first.
  const [completed, setCompleted] = useState<LocalCase[] | null>(null);
  useEffect(() => {
    if (completed === shown || shown.length <= FIRST_ROWS) return;
    const timer = setTimeout(() => setCompleted(shown), REST_OF_ROWS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [shown, completed]);
  const rowLimit = completed === shown ? MAX_ROWS : FIRST_ROWS;

  if (readScope === null) {
    return (
      <section class="card" aria-labelledby="cases-title">
        <h1 id="cases-title">{t('cases-title-all')}</h1>
        <p>{t('cases-no-access')}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">
        {t(readScope === 'own' ? 'cases-title' : 'cases-title-all')}{' '}
        <span class="badge" data-testid="cases-count" data-count={shown.length}>
          {t('cases-count', { count: shown.length })}
        </span>
      </h1>
      <FilterChips chips={chips} />
      <div class="toolbar">
        <div class="grow">
          <label for="case-search">{t('cases-search')}</label>
          <input id="case-search" type="search" value={query} onInput={(event) => setQuery((event.target as HTMLInputElement).value)} />
        </div>
        <div class="small">
          <label for="case-risk">{t('cases-filter-risk')}</label>
          <select id="case-risk" value={filter.risk_level ?? 'all'} onChange={(event) => chooseRisk(choose, (event.target as HTMLSelectElement).value)}>
            <option value="all">{t('cases-filter-all')}</option>
            <option value="high">{t('risk-high')}</option>
            <option value="medium">{t('risk-medium')}</option>
            <option value="low">{t('risk-low')}</option>
            <option value="none">{t('risk-none')}</option>
            {filter.risk_level?.includes(',') && <option value={filter.risk_level}>{chips.find((chip) => chip.key === 'risk_level')?.text}</option>}
          </select>
        </div>
        <div class="small">
          <label for="case-status">{t('cases-filter-status')}</label>
          <select id="case-status" value={filter.status ?? 'all'} onChange={(event) => chooseStatus(choose, (event.target as HTMLSelectElement).value)}>
            <option value="open">{t('status-open')}</option>
            <option value="closed">{t('status-closed')}</option>
            <option value="all">{t('cases-filter-all')}</option>
          </select>
        </div>
        <div class="small">
          <label for="case-sort">{t('cases-sort')}</label>
          <select id="case-sort" value={sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value as Sort)}>
            <option value="updated">{t('cases-sort-updated')}</option>
            <option value="risk">{t('cases-sort-risk')}</option>
            <option value="name">{t('cases-sort-name')}</option>
            <option value="registered">{t('cases-sort-registered')}</option>
          </select>
        </div>
      </div>
      {role && scopeOf(role, 'export') !== null && (
        <div class="export-row">
          <ExportPanel filter={exportFilter(filter, query)} />
          <a href={href({ name: 'exports' })}>{t('export-my-exports')}</a>
        </div>
      )}
      {shown.length === 0 ? (
        <p class="card">{t('cases-empty')}</p>
      ) : (
        <>
          <ul class="case-list" data-testid="case-list">
            {shown.slice(0, rowLimit).map((record) => (
              <li key={record.id}>
                <a href={href({ name: 'case', id: record.id })}>
                  <span class="name">{caseName(record)}</span>
                  <RiskBadge level={record.data.risk_level} />
                  <span class="meta">
                    <FlagMark count={record.flags?.length ?? 0} />
                    {record.display_id && <span>{record.display_id}</span>}
                    {caseAge(record, config) && <span>{caseAge(record, config)}</span>}
                    <span>{optionLabel(config, 'sex', record.data.sex)}</span>
                    <span>{placeName(config, record.data.location_current)}</span>
                    <span>{t(`stage-${record.stage}`)}</span>
                    <SyncBadge record={record} quiet />
                  </span>
                </a>
              </li>
            ))}
          </ul>
          {shown.length > MAX_ROWS && <p class="hint">{t('cases-more', { shown: MAX_ROWS, count: shown.length })}</p>}
        </>
      )}
    </section>
  );
}

/** The query parameters of `GET /cases` that select what the list shows: its filter and search. */
export function exportFilter(filter: CaseFilter, query: string): Record<string, string> {
  const parameters = Object.fromEntries(new URLSearchParams(filterQuery(filter)).entries());
  if (query.trim() !== '') parameters.q = query.trim();
  return parameters;
}

function chooseRisk(choose: (changes: CaseFilter) => void, value: string): void {
  choose({ risk_level: value === 'all' ? undefined : value });
}

function chooseStatus(choose: (changes: CaseFilter) => void, value: string): void {
  choose({ status: value === 'open' || value === 'closed' ? value : undefined });
}

/** Shows the number of active flags of a case by icon, colour and word, so it reads without colour. */
function FlagMark({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span class="flag-mark" data-testid="case-flags">
      <FlagIcon />
      {t('cases-flags', { count })}
    </span>
  );
}
