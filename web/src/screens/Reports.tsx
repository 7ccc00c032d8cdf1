// Reports for roles with `view_aggregates`. The monthly coordination report shows a month's
// sections as tables and downloads them as XLSX or CSV. The table builder takes a measure, a row
// and an optional column dimension, filters, the as-of date of ages, and "for sharing outside my
// agency", which hides small counts. The server counts and suppresses, and this screen only sends
// the request and shows the response, so everything here needs a connection.

import { useState } from 'preact/hooks';
import { PivotTable } from '../components/PivotTable';
import { scopeOf } from '../domain/config';
import { formatDate as isoDate, parseDate, today } from '../domain/dates';
import { errorText } from '../errors';
import { formatDate, label, localizeDigits, t, tryT } from '../i18n';
import {
  CASE_DIMENSIONS,
  downloadMonthly,
  downloadPivot,
  type ExportFormat,
  fetchMonthly,
  fetchPivot,
  type MonthlyReport,
  type PivotFilters,
  type PivotRequest,
  type PivotResponse,
  REFERRAL_DIMENSIONS,
} from '../reportsApi';
import { session } from '../session';
import { syncState } from '../sync';
import { monthLabel } from '../figureText';

/** Dimensions whose keys are agencies, headed by their codes in a table's columns. */
const AGENCY_DIMENSIONS = ['agency', 'to_agency', 'from_agency'];

export function Reports() {
  const online = syncState.value.online;
  return (
    <section aria-labelledby="reports-title" data-testid="reports">
      <h1 id="reports-title">{t('reports-title')}</h1>
      {!online && <p class="notice">{t('reports-offline')}</p>}
      <MonthlyReportCard online={online} />
      <PivotBuilder online={online} />
    </section>
  );
}

function todayIso(): string {
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  return isoDate(today(Date.now(), offset));
}

/** Runs an async request with a "working" flag and the failure in the reader's language. */
function useRequest() {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (request: () => Promise<void>) => {
    setWorking(true);
    setError(null);
    try {
      await request();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setWorking(false);
    }
  };
  return { working, error, run };
}

function MonthlyReportCard({ online }: { online: boolean }) {
  const thisMonth = todayIso().slice(0, 7);
  const [month, setMonth] = useState(thisMonth);
  const [report, setReport] = useState<MonthlyReport | null>(null);
  const { working, error, run } = useRequest();
  const show = () => run(async () => setReport(await fetchMonthly(month)));
  const download = (format: ExportFormat) => run(() => downloadMonthly(month, format));

  return (
    <section class="card" aria-labelledby="monthly-title" data-testid="monthly-report">
      <h2 id="monthly-title">{t('reports-monthly-title')}</h2>
      <p class="hint">{t('reports-monthly-hint')}</p>
      <div class="field">
        <label for="monthly-month">{t('reports-month')}</label>
        <select id="monthly-month" value={month} onChange={(event) => setMonth((event.target as HTMLSelectElement).value)}>
          {recentMonths(thisMonth).map((value) => (
            <option key={value} value={value}>
              {monthLabel(value)}
            </option>
          ))}
        </select>
      </div>
      <div class="button-row">
        <button type="button" class="primary" disabled={!online || working || !month} onClick={show} data-testid="monthly-show">
          {t('reports-show')}
        </button>
        <button type="button" disabled={!online || working || !month} onClick={() => download('xlsx')} data-testid="monthly-xlsx">
          {t('reports-download-xlsx')}
        </button>
        <button type="button" disabled={!online || working || !month} onClick={() => download('csv')} data-testid="monthly-csv">
          {t('reports-download-csv')}
        </button>
      </div>
      {working && <p class="hint">{t('reports-working')}</p>}
      {error && <p class="notice error">{error}</p>}
      {report && (
        <div data-testid="monthly-sections">
          <p class="hint">{t('reports-as-of', { month: monthLabel(report.month), date: formatDate(report.as_of) })}</p>
          {report.suppression_threshold !== null && <p class="notice">{t('dash-suppressed-legend', { threshold: report.suppression_threshold })}</p>}
          {report.sections.map((section) => (
            <section key={section.id} aria-labelledby={`section-${section.id}`} data-testid={`section-${section.id}`}>
              <h3 id={`section-${section.id}`}>{tryT(`report-section-${section.id}`, { month: monthLabel(report.month) }) ?? section.title}</h3>
              <PivotTable
                pivot={section.pivot}
                rowsTitle={t(`report-dimension-${section.pivot.row_dimension}`)}
                columnsTitle={section.pivot.column_dimension ? t(`report-dimension-${section.pivot.column_dimension}`) : undefined}
                caption={section.title}
                agencyColumns={AGENCY_DIMENSIONS.includes(section.pivot.column_dimension ?? '')}
              />
            </section>
          ))}
        </div>
      )}
    </section>
  );
}

/** Options of a lookup of the configuration, labelled in the reader's language. */
function lookupOptions(lookupId: string): { id: string; text: string }[] {
  const lookup = session.value?.configuration?.lookups.find((entry) => entry.id === lookupId);
  return lookup?.options.map((option) => ({ id: option.id, text: label(option.label) })) ?? [];
}

function PivotBuilder({ online }: { online: boolean }) {
  const config = session.value?.configuration ?? null;
  const role = config?.roles.find((entry) => entry.id === session.value?.user.role_id);
  // A role whose figures span every agency always shares outside its agency, so the server
  // suppresses small counts for it whether the box is ticked or not.
  const acrossAgencies = !!role && scopeOf(role, 'view_aggregates') === 'all';
  const [measure, setMeasure] = useState<'cases' | 'referrals'>('cases');
  const [rows, setRows] = useState('camp');
  const [columns, setColumns] = useState('sex');
  const [filters, setFilters] = useState<PivotFilters>({ status: 'open' });
  // Dates as typed, in either script; `request` reads them as `YYYY-MM-DD`.
  const [dates, setDates] = useState<TypedDates>({ registered_from: '', registered_to: '', as_of: localizeDigits(todayIso()) });
  const [forSharing, setForSharing] = useState(false);
  const [result, setResult] = useState<PivotResponse | null>(null);
  const { working, error, run } = useRequest();

  const dimensions: readonly string[] = measure === 'cases' ? CASE_DIMENSIONS : REFERRAL_DIMENSIONS;
  const request = (): PivotRequest => ({
    measure,
    rows,
    columns: columns === '' ? null : columns,
    filters: Object.fromEntries(
      Object.entries({ ...filters, registered_from: isoOf(dates.registered_from), registered_to: isoOf(dates.registered_to) }).filter(([, value]) => value),
    ) as PivotFilters,
    as_of: isoOf(dates.as_of),
    for_sharing: acrossAgencies || forSharing,
  });
  const datesValid = Object.values(dates).every((text) => text.trim() === '' || isoOf(text) !== undefined);
  const setFilter = (name: keyof PivotFilters, value: string) => setFilters({ ...filters, [name]: value || undefined });
  const chooseMeasure = (next: 'cases' | 'referrals') => {
    const allowed: readonly string[] = next === 'cases' ? CASE_DIMENSIONS : REFERRAL_DIMENSIONS;
    setMeasure(next);
    if (!allowed.includes(rows)) setRows(allowed[0]);
    if (columns !== '' && !allowed.includes(columns)) setColumns('');
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (!datesValid) return;
    // A rejected request must not leave the previous table on screen under its error.
    setResult(null);
    void run(async () => setResult(await fetchPivot(request())));
  };
  const download = (format: ExportFormat) => run(() => downloadPivot(request(), format));
  const camps = (config?.locations ?? []).filter((location) => location.level === 'camp');

  return (
    <section class="card" aria-labelledby="pivot-title" data-testid="pivot-builder">
      <h2 id="pivot-title">{t('reports-pivot-title')}</h2>
      <form onSubmit={submit} class="report-form">
        <div class="field">
          <label for="pivot-measure">{t('reports-measure')}</label>
          <select id="pivot-measure" value={measure} onChange={(event) => chooseMeasure((event.target as HTMLSelectElement).value as 'cases' | 'referrals')}>
            <option value="cases">{t('report-measure-cases')}</option>
            <option value="referrals">{t('report-measure-referrals')}</option>
          </select>
        </div>
        <div class="field">
          <label for="pivot-rows">{t('reports-rows')}</label>
          <select id="pivot-rows" value={rows} onChange={(event) => setRows((event.target as HTMLSelectElement).value)}>
            {dimensions.map((dimension) => (
              <option key={dimension} value={dimension}>
                {t(`report-dimension-${dimension}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="pivot-columns">{t('reports-columns')}</label>
          <select id="pivot-columns" value={columns} onChange={(event) => setColumns((event.target as HTMLSelectElement).value)}>
            <option value="">{t('reports-columns-none')}</option>
            {dimensions
              .filter((dimension) => dimension !== rows)
              .map((dimension) => (
                <option key={dimension} value={dimension}>
                  {t(`report-dimension-${dimension}`)}
                </option>
              ))}
          </select>
        </div>
        <fieldset>
          <legend>{t('reports-filters')}</legend>
          {measure === 'cases' && (
            <div class="field">
              <label for="pivot-status">{t('cases-filter-status')}</label>
              <select id="pivot-status" value={filters.status ?? 'all'} onChange={(event) => setFilter('status', (event.target as HTMLSelectElement).value)}>
                <option value="open">{t('status-open')}</option>
                <option value="closed">{t('status-closed')}</option>
                <option value="all">{t('cases-filter-all')}</option>
              </select>
            </div>
          )}
          <FilterSelect
            id="pivot-month"
            title={t('reports-filter-month')}
            value={filters.month}
            onChange={(value) => setFilter('month', value)}
            options={recentMonths(todayIso().slice(0, 7)).map((value) => ({ id: value, text: monthLabel(value) }))}
          />
          <DateInput id="pivot-registered-from" title={t('reports-registered-from')} value={dates.registered_from} onChange={(text) => setDates({ ...dates, registered_from: text })} />
          <DateInput id="pivot-registered-to" title={t('reports-registered-to')} value={dates.registered_to} onChange={(text) => setDates({ ...dates, registered_to: text })} />
          <FilterSelect id="pivot-agency" title={t('report-dimension-agency')} value={filters.agency} onChange={(value) => setFilter('agency', value)} options={(config?.agencies ?? []).map((agency) => ({ id: agency.id, text: label(agency.name) }))} />
          <FilterSelect id="pivot-camp" title={t('report-dimension-camp')} value={filters.location} onChange={(value) => setFilter('location', value)} options={camps.map((camp) => ({ id: camp.code, text: label(camp.name) }))} />
          <FilterSelect id="pivot-concern" title={t('report-dimension-concern')} value={filters.protection_concern} onChange={(value) => setFilter('protection_concern', value)} options={lookupOptions('protection_concern')} />
          <FilterSelect id="pivot-sex" title={t('report-dimension-sex')} value={filters.sex} onChange={(value) => setFilter('sex', value)} options={lookupOptions('sex')} />
          <FilterSelect id="pivot-risk" title={t('report-dimension-risk_level')} value={filters.risk_level} onChange={(value) => setFilter('risk_level', value)} options={lookupOptions('risk_level')} />
        </fieldset>
        <DateInput id="pivot-as-of" title={t('reports-as-of-date')} hint={t('reports-as-of-hint')} value={dates.as_of} onChange={(text) => setDates({ ...dates, as_of: text })} />
        <label class="choice">
          <input type="checkbox" checked={acrossAgencies || forSharing} disabled={acrossAgencies} onChange={(event) => setForSharing((event.target as HTMLInputElement).checked)} data-testid="pivot-for-sharing" />
          {t('reports-for-sharing')}
        </label>
        <p class="hint">{t(acrossAgencies ? 'reports-for-sharing-always' : 'reports-for-sharing-hint')}</p>
        <div class="button-row">
          <button type="submit" class="primary" disabled={!online || working || !datesValid} data-testid="pivot-show">
            {t('reports-show')}
          </button>
          <button type="button" disabled={!online || working || !datesValid} onClick={() => download('xlsx')} data-testid="pivot-xlsx">
            {t('reports-download-xlsx')}
          </button>
          <button type="button" disabled={!online || working || !datesValid} onClick={() => download('csv')} data-testid="pivot-csv">
            {t('reports-download-csv')}
          </button>
        </div>
      </form>
      {working && <p class="hint">{t('reports-working')}</p>}
      {error && <p class="notice error">{error}</p>}
      {result && (
        <div data-testid="pivot-result">
          {result.suppression_threshold !== null && (
            <p class="notice">
              {t('dash-suppressed-legend', { threshold: result.suppression_threshold })} {t('reports-suppressed-cells', { count: result.suppressed_cells })}
            </p>
          )}
          <PivotTable
            pivot={result}
            rowsTitle={t(`report-dimension-${result.row_dimension}`)}
            columnsTitle={result.column_dimension ? t(`report-dimension-${result.column_dimension}`) : undefined}
            caption={t('reports-pivot-title')}
            agencyColumns={AGENCY_DIMENSIONS.includes(result.column_dimension ?? '')}
          />
        </div>
      )}
    </section>
  );
}

function FilterSelect({ id, title, value, options, onChange }: { id: string; title: string; value: string | undefined; options: { id: string; text: string }[]; onChange: (value: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{title}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        <option value="">{t('cases-filter-all')}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.text}
          </option>
        ))}
      </select>
    </div>
  );
}

interface TypedDates {
  registered_from: string;
  registered_to: string;
  as_of: string;
}

/** Months a report can be asked for: `thisMonth` (`YYYY-MM`) and the 23 before it, newest first. */
export function recentMonths(thisMonth: string): string[] {
  const [year, month] = thisMonth.split('-').map(Number);
  const months: string[] = [];
  for (let back = 0; back < 24; back += 1) {
    const index = year * 12 + (month - 1) - back;
    months.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** Reads a typed date (ASCII or Bengali digits) as `YYYY-MM-DD`, or undefined when it is empty
 * or not a date. */
function isoOf(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const parsed = parseDate(text, ['bengali']);
  return parsed.ok ? isoDate(parsed.value) : undefined;
}

/** Renders a date field typed as text, so that Bengali digits work as in the case forms. */
function DateInput({ id, title, hint, value, onChange }: { id: string; title: string; hint?: string; value: string; onChange: (text: string) => void }) {
  const invalid = value.trim() !== '' && isoOf(value) === undefined;
  return (
    <div class="field">
      <label for={id}>{title}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        placeholder={t('field-date-placeholder')}
        value={value}
        aria-invalid={invalid ? 'true' : undefined}
        onInput={(event) => onChange((event.target as HTMLInputElement).value)}
      />
      {hint && <p class="hint">{hint}</p>}
      {invalid && <p class="error">{t('reports-date-invalid')}</p>}
    </div>
  );
}
