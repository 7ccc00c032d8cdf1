// The case list from the server: `GET /api/v1/cases` with the route's filters, page by page, and
// the server's `total`. A manager's dashboard figures open it, because the agency's cases are
// counted on the server and need not all be on the phone. It needs a connection.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { filterQuery, routeFilter } from '../caseFilter';
import { scopeOf } from '../domain/config';
import { optionLabel, placeName } from '../caseText';
import { ExportPanel } from '../components/ExportPanel';
import { FilterChips } from '../components/FilterChips';
import { RiskBadge } from '../components/RiskBadge';
import { errorText } from '../errors';
import { caseFilterChips, caseListHref } from '../figureText';
import { t } from '../i18n';
import { knownPeople } from '../people';
import { href } from '../router';
import { session } from '../session';
import { syncState } from '../sync';

/** One row of `GET /cases`. */
interface CaseSummary {
  id: string;
  display_id: string;
  name: string | null;
  sex: string | null;
  age: number | null;
  age_estimated: boolean;
  risk_level: string | null;
  status: string;
  stage: string;
  location: string | null;
}

interface CasePage {
  total: number;
  offset: number;
  limit: number;
  cases: CaseSummary[];
}

/** Rows per request; the server accepts at most 100. */
export const SERVER_PAGE_SIZE = 50;

export function ServerCaseList({ params }: { params?: Record<string, string> }) {
  const config = session.value?.configuration ?? null;
  const online = syncState.value.online;
  const filter = routeFilter(params);
  const query = filterQuery(filter);
  const [rows, setRows] = useState<CaseSummary[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load(offset: number) {
    setLoading(true);
    setError(null);
    try {
      const page = await api<CasePage>('GET', `/cases?${query}${query ? '&' : ''}offset=${offset}&limit=${SERVER_PAGE_SIZE}`);
      setTotal(page.total);
      setRows((earlier) => (offset === 0 ? page.cases : [...earlier, ...page.cases]));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    setRows([]);
    setTotal(null);
    if (online) void load(0);
  }, [query, online]);

  const chips = caseFilterChips(filter, config, knownPeople(), (rest) => caseListHref(rest, true));
  const role = config?.roles.find((entry) => entry.id === session.value?.user.role_id);
  return (
    <section aria-labelledby="cases-title" data-testid="server-case-list">
      <h1 id="cases-title">
        {t('cases-title-all')}{' '}
        {total !== null && (
          <span class="badge" data-testid="cases-count" data-count={total}>
            {t('cases-count', { count: total })}
          </span>
        )}
      </h1>
      <FilterChips chips={chips} />
      {role && scopeOf(role, 'export') !== null && (
        <div class="export-row">
          <ExportPanel filter={Object.fromEntries(new URLSearchParams(query).entries())} />
          <a href={href({ name: 'exports' })}>{t('export-my-exports')}</a>
        </div>
      )}
      {!online && <p class="notice">{t('server-list-offline')}</p>}
      {error && <p class="notice error">{error}</p>}
      {total === 0 && <p class="card">{t('cases-empty')}</p>}
      {rows.length > 0 && (
        <ul class="case-list" data-testid="case-list">
          {rows.map((row) => (
            <li key={row.id}>
              <a href={href({ name: 'case', id: row.id })}>
                <span class="name">{row.name ?? t('cases-no-name')}</span>
                <RiskBadge level={row.risk_level} />
                <span class="meta">
                  <span>{row.display_id}</span>
                  {row.age !== null && <span>{t(row.age_estimated ? 'case-age-estimated' : 'case-age', { age: row.age })}</span>}
                  <span>{optionLabel(config, 'sex', row.sex)}</span>
                  <span>{placeName(config, row.location)}</span>
                  <span>{t(`stage-${row.stage}`)}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {loading && <p class="hint">{t('server-list-loading')}</p>}
      {total !== null && rows.length < total && !loading && (
        <button type="button" class="show-all" onClick={() => void load(rows.length)} data-testid="server-list-more">
          {t('server-list-more', { shown: rows.length, count: total })}
        </button>
      )}
    </section>
  );
}
