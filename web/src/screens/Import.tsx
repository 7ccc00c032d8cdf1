// The import screen of roles with the `import` grant: bring an existing caseload in from a
// spreadsheet (CSV, XLSX) or the incumbent system's JSON export. The steps follow the server's
// import (`importsApi.ts`): upload, map each column to a field, check with a dry run that writes
// nothing, read the rejected rows and the report, then import. A second import of the same file
// updates the cases it created instead of adding new ones. Everything runs on the server, so the
// screen needs a connection.

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { scopeOf, type Configuration } from '../domain/config';
import { errorText } from '../errors';
import { label, localizeDigits, t, verbatim } from '../i18n';
import {
  DATE_FORMATS,
  downloadReport,
  fetchImport,
  fetchMappings,
  fetchOwners,
  fetchRows,
  formatOf,
  type ImportFormat,
  type ImportRow,
  type ImportSummary,
  type ImportView,
  isRunning,
  type Mapping,
  type Owner,
  type SavedMapping,
  saveMapping,
  startDryRun,
  startImport,
  uploadImport,
} from '../importsApi';
import { session } from '../session';
import { syncState } from '../sync';

/** How often a running dry run or import is asked for its progress. */
export const POLL_MS = 1000;

/** Rejected rows the screen lists; the report has every row. */
export const SHOWN_REJECTED = 100;

/** The message name of each date format: the separator and the order of day, month and year. */
const DATE_FORMAT_NAMES: Record<(typeof DATE_FORMATS)[number], string> = {
  'dd/mm/yyyy': 'slash-dmy',
  'mm/dd/yyyy': 'slash-mdy',
  'yyyy-mm-dd': 'iso',
  'dd-mm-yyyy': 'dash-dmy',
  'dd.mm.yyyy': 'dot-dmy',
};

/** Field types a column can fill: one value per row. Subforms, files, calculated and system
 * values cannot come from a spreadsheet cell. */
const IMPORTABLE = new Set(['text', 'textarea', 'number', 'date', 'date_time', 'select', 'multi_select', 'radio', 'tick_box', 'location']);

export interface FieldChoice {
  id: string;
  /** The form's name and the field's label in the reader's language. */
  text: string;
}

export interface FormChoices {
  form: string;
  fields: FieldChoice[];
}

/** Lists the fields a column can be mapped to, grouped by form, labelled in the reader's language. */
export function fieldChoices(config: Configuration): FormChoices[] {
  return config.forms
    .map((form) => ({
      form: label(form.name),
      fields: form.fields.filter((field) => IMPORTABLE.has(field.type) && !field.read_only).map((field) => ({ id: field.id, text: label(field.label) })),
    }))
    .filter((group) => group.fields.length > 0);
}

/** Tells whether two mappings import the same way, so that a dry run of one stands for the other. */
export function sameMapping(a: Mapping | null, b: Mapping | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Returns `mapping` with `column` mapped to `field`, or unmapped for an empty field. */
export function mapColumn(mapping: Mapping, column: string, field: string): Mapping {
  const columns = mapping.columns.filter((entry) => entry.column !== column);
  if (field) columns.push({ column, field });
  return { ...mapping, columns };
}

export function Import() {
  const online = syncState.value.online;
  const [view, setView] = useState<ImportView | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  // The mapping the last dry run checked: the import runs only with that one.
  const [checked, setChecked] = useState<Mapping | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

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

  // A running dry run or import is polled until the server finishes it.
  const id = view?.id;
  const running = view ? isRunning(view.state) : false;
  useEffect(() => {
    if (!id || !running) return;
    const timer = setInterval(() => {
      fetchImport(id).then(setView, (failure) => setError(errorText(failure)));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [id, running]);

  const uploaded = (next: ImportView) => {
    setView(next);
    setMapping(next.mapping ?? next.suggested_mapping);
  };
  const checkFile = (importId: string, chosen: Mapping) =>
    run(async () => {
      setView(await startDryRun(importId, chosen));
      setChecked(chosen);
    });
  // The server returns 409 when the import's state changed meanwhile, for example when another
  // tab ran it. Reading the import again replaces the stale run button with its real state.
  const importFile = (importId: string, chosen: Mapping) =>
    run(async () => {
      try {
        setView(await startImport(importId, chosen));
      } catch (failure) {
        fetchImport(importId).then(setView, () => undefined);
        throw failure;
      }
    });
  const startOver = () => {
    setView(null);
    setMapping(null);
    setChecked(null);
    setError(null);
  };

  return (
    <section aria-labelledby="import-title" data-testid="import">
      <h1 id="import-title">{t('import-title')}</h1>
      {!online && <p class="notice">{t('import-offline')}</p>}
      {!view && <UploadCard online={online} working={working} onUploaded={(next) => run(async () => uploaded(await next()))} />}
      {view && mapping && (
        <>
          <p class="hint" data-testid="import-file">
            {t('import-file', { name: verbatim(view.file_name) })}
          </p>
          {(view.state === 'uploaded' || view.state === 'dry_run_done' || view.state === 'failed') && (
            <MappingCard view={view} mapping={mapping} onChange={setMapping} online={online} />
          )}
          {view.error && <p class="notice error">{view.error}</p>}
          {isRunning(view.state) && <Progress view={view} />}
          {(view.state === 'uploaded' || view.state === 'dry_run_done' || view.state === 'failed') && (
            <div class="button-row">
              <button
                type="button"
                class={view.state === 'dry_run_done' ? undefined : 'primary'}
                disabled={!online || working}
                onClick={() => checkFile(view.id, mapping)}
                data-testid="import-dry-run"
              >
                {t('import-dry-run')}
              </button>
            </div>
          )}
          {view.state === 'dry_run_done' && view.dry_run_summary && (
            <Results
              view={view}
              summary={view.dry_run_summary}
              dryRun
              online={online}
              changed={!sameMapping(checked ?? view.mapping, mapping)}
              working={working}
              onImport={() => importFile(view.id, mapping)}
            />
          )}
          {view.state === 'done' && view.summary && <Results view={view} summary={view.summary} dryRun={false} online={online} changed={false} working={working} />}
          {(view.state === 'done' || view.state === 'failed') && (
            <div class="button-row">
              {/* A run uses up its dry run, so the same file is imported again only after a new check. */}
              {view.state === 'done' && (
                <button type="button" disabled={!online || working} onClick={() => checkFile(view.id, mapping)} data-testid="import-dry-run">
                  {t('import-dry-run')}
                </button>
              )}
              <button type="button" onClick={startOver} data-testid="import-again">
                {t('import-another')}
              </button>
            </div>
          )}
        </>
      )}
      {working && <p class="hint">{t('import-working')}</p>}
      {error && (
        <p class="notice error" data-testid="import-error">
          {error}
        </p>
      )}
    </section>
  );
}

function UploadCard({ online, working, onUploaded }: { online: boolean; working: boolean; onUploaded: (upload: () => Promise<ImportView>) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const choose = (chosen: File | null) => {
    setFile(chosen);
    const guessed = chosen ? formatOf(chosen.name) : null;
    if (guessed) setFormat(guessed);
  };
  return (
    <section class="card" aria-labelledby="import-upload-title">
      <h2 id="import-upload-title">{t('import-upload-title')}</h2>
      <p class="hint">{t('import-upload-hint')}</p>
      <div class="field">
        <label for="import-file-input">{t('import-choose-file')}</label>
        <input
          id="import-file-input"
          type="file"
          accept=".csv,.xlsx,.json,text/csv,application/json"
          onChange={(event) => choose((event.target as HTMLInputElement).files?.[0] ?? null)}
          data-testid="import-file-input"
        />
      </div>
      <div class="field">
        <label for="import-format">{t('import-format')}</label>
        <select id="import-format" value={format} onChange={(event) => setFormat((event.target as HTMLSelectElement).value as ImportFormat)}>
          <option value="csv">{t('import-format-csv')}</option>
          <option value="xlsx">{t('import-format-xlsx')}</option>
          <option value="incumbent_json">{t('import-format-incumbent')}</option>
        </select>
      </div>
      <button
        type="button"
        class="primary"
        disabled={!online || working || !file}
        onClick={() => file && onUploaded(() => uploadImport(file, file.name, format))}
        data-testid="import-upload"
      >
        {t('import-upload')}
      </button>
    </section>
  );
}

/** Columns with a field chooser each, the date format, the id columns, the owner of new cases
 * and the saved mappings. */
function MappingCard({ view, mapping, onChange, online }: { view: ImportView; mapping: Mapping; onChange: (next: Mapping) => void; online: boolean }) {
  const config = session.value?.configuration ?? null;
  const groups = config ? fieldChoices(config) : [];
  const [owners, setOwners] = useState<Owner[]>([]);
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    const canOwn = (roleId: string) => {
      const role = config?.roles.find((entry) => entry.id === roleId);
      return !role || scopeOf(role, 'create') !== null || scopeOf(role, 'write') !== null;
    };
    fetchOwners().then((list) => setOwners(list.filter((owner) => canOwn(owner.role_id))), (failure) => setNotice(errorText(failure)));
    fetchMappings().then(setSaved, (failure) => setNotice(errorText(failure)));
  }, [online]);

  const fieldOf = (column: string) => mapping.columns.find((entry) => entry.column === column)?.field ?? '';
  const sampleOf = (index: number) =>
    view.sample
      .map((row) => row[index] ?? '')
      .filter((value) => value.trim() !== '')
      .slice(0, 3)
      .join(' · ');
  const forFormat = saved.filter((entry) => entry.format === view.format);
  const save = async () => {
    try {
      const stored = await saveMapping(name.trim(), view.format, mapping);
      setSaved([...saved.filter((entry) => entry.id !== stored.id), stored]);
      setName('');
      setNotice(t('import-mapping-saved', { name: verbatim(stored.name) }));
    } catch (failure) {
      setNotice(errorText(failure));
    }
  };
  const columnSelect = (id: string, value: string | null, change: (next: string | null) => void) => (
    <select id={id} value={value ?? ''} onChange={(event) => change((event.target as HTMLSelectElement).value || null)}>
      <option value="">{t('import-column-none')}</option>
      {value && !view.columns.includes(value) && <option value={value}>{value}</option>}
      {view.columns.map((column) => (
        <option key={column} value={column}>
          {column}
        </option>
      ))}
    </select>
  );

  return (
    <section class="card" aria-labelledby="import-mapping-title" data-testid="import-mapping">
      <h2 id="import-mapping-title">{t('import-mapping-title')}</h2>
      {forFormat.length > 0 && (
        <div class="field">
          <label for="import-saved">{t('import-saved-mappings')}</label>
          <select
            id="import-saved"
            value=""
            onChange={(event) => {
              const chosen = forFormat.find((entry) => entry.id === (event.target as HTMLSelectElement).value);
              if (chosen) onChange(chosen.mapping);
            }}
            data-testid="import-saved"
          >
            <option value="">{t('import-saved-choose')}</option>
            {forFormat.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <p class="hint">{t('import-mapping-hint')}</p>
      <ul class="import-columns">
        {view.columns.map((column, index) => (
          <li key={column} class="field">
            <label for={`import-column-${index}`}>{column}</label>
            {sampleOf(index) && <p class="hint">{t('import-sample', { values: verbatim(sampleOf(index)) })}</p>}
            <select
              id={`import-column-${index}`}
              value={fieldOf(column)}
              onChange={(event) => onChange(mapColumn(mapping, column, (event.target as HTMLSelectElement).value))}
              data-testid="import-column-field"
              data-column={column}
            >
              <option value="">{t('import-field-none')}</option>
              {groups.map((group) => (
                <optgroup key={group.form} label={group.form}>
                  {group.fields.map((field) => (
                    <option key={field.id} value={field.id}>
                      {field.text}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </li>
        ))}
      </ul>
      <div class="field">
        <label for="import-date-format">{t('import-date-format')}</label>
        <p class="hint">{t('import-date-format-hint')}</p>
        <select id="import-date-format" value={mapping.date_format} onChange={(event) => onChange({ ...mapping, date_format: (event.target as HTMLSelectElement).value })} data-testid="import-date-format">
          {DATE_FORMATS.map((format) => (
            <option key={format} value={format}>
              {t(`import-date-${DATE_FORMAT_NAMES[format]}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="import-external-id">{t('import-external-id')}</label>
        <p class="hint">{t('import-external-id-hint')}</p>
        {columnSelect('import-external-id', mapping.external_id_column, (next) => onChange({ ...mapping, external_id_column: next }))}
      </div>
      <div class="field">
        <label for="import-case-id">{t('import-case-id')}</label>
        <p class="hint">{t('import-case-id-hint')}</p>
        {columnSelect('import-case-id', mapping.case_id_column, (next) => onChange({ ...mapping, case_id_column: next }))}
      </div>
      <div class="field">
        <label for="import-owner">{t('import-owner')}</label>
        <p class="hint">{t('import-owner-hint')}</p>
        <select id="import-owner" value={mapping.owner ?? ''} onChange={(event) => onChange({ ...mapping, owner: (event.target as HTMLSelectElement).value || null })} data-testid="import-owner">
          <option value="">{t('import-owner-choose')}</option>
          {/* A saved mapping's owner shows before the list of users arrives. */}
          {mapping.owner && !owners.some((owner) => owner.username === mapping.owner) && <option value={mapping.owner}>{mapping.owner}</option>}
          {owners.map((owner) => (
            <option key={owner.id} value={owner.username}>
              {owner.full_name} ({owner.username})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="import-mapping-name">{t('import-mapping-name')}</label>
        <div class="date-row">
          <input id="import-mapping-name" type="text" value={name} onInput={(event) => setName((event.target as HTMLInputElement).value)} />
          <button type="button" disabled={!online || name.trim() === ''} onClick={save} data-testid="import-save-mapping">
            {t('import-save-mapping')}
          </button>
        </div>
      </div>
      {notice && <p class="hint">{notice}</p>}
    </section>
  );
}

function Progress({ view }: { view: ImportView }) {
  const { rows_done: done, rows_total: total } = view.progress;
  return (
    <div class="card" data-testid="import-progress">
      <p>{t(view.state === 'running' ? 'import-running' : 'import-checking')}</p>
      <progress value={done} max={total ?? undefined} aria-label={t('import-progress-label')} />
      <p class="hint">{total === null ? t('import-progress-rows', { done }) : t('import-progress', { done, total })}</p>
    </div>
  );
}

interface ResultsProps {
  view: ImportView;
  summary: ImportSummary;
  dryRun: boolean;
  online: boolean;
  /** The mapping changed since the dry run, which must then run again. */
  changed: boolean;
  working: boolean;
  onImport?: () => void;
}

/** Shows the counts of a dry run or an import, the rejected rows with their reasons, the report,
 * and after a dry run the button that imports. */
function Results({ view, summary, dryRun, online, changed, working, onImport }: ResultsProps) {
  const [rejected, setRejected] = useState<{ rows: ImportRow[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (summary.rejected === 0) {
      setRejected({ rows: [], total: 0 });
      return;
    }
    fetchRows(view.id, 'rejected', 0, SHOWN_REJECTED).then(setRejected, (failure) => setError(errorText(failure)));
  }, [view.id, view.state]);
  const prefix = dryRun ? 'import-would' : 'import-did';
  const counts: [keyof ImportSummary, number][] = [
    ['created', summary.created],
    ['updated', summary.updated],
    ['unchanged', summary.unchanged],
    ['rejected', summary.rejected],
  ];
  const report = (format: 'csv' | 'xlsx') => downloadReport(view.id, format).catch((failure) => setError(errorText(failure)));

  return (
    <section class="card" aria-labelledby="import-results-title" data-testid={dryRun ? 'import-dry-run-results' : 'import-summary'}>
      <h2 id="import-results-title">{t(dryRun ? 'import-dry-run-title' : 'import-done-title')}</h2>
      {dryRun && <p class="hint">{t('import-dry-run-hint')}</p>}
      <dl class="values">
        {counts.map(([outcome, count]) => (
          <Fragment key={outcome}>
            <dt>{t(`${prefix}-${outcome}`)}</dt>
            <dd data-testid={`import-count-${outcome}`}>{localizeDigits(String(count))}</dd>
          </Fragment>
        ))}
      </dl>
      {rejected && rejected.rows.length > 0 && (
        <>
          <h3>{t('import-rejected-title')}</h3>
          <div class="table-scroll">
            <table class="pivot import-rejected" data-testid="import-rejected">
              <thead>
                <tr>
                  <th scope="col">{t('import-row')}</th>
                  <th scope="col">{t('import-reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rejected.rows.map((row) => (
                  <tr key={row.row} data-row={row.row}>
                    <th scope="row" class="number">
                      {localizeDigits(String(row.row))}
                    </th>
                    <td>
                      {row.errors.map((reason, index) => (
                        <div key={index}>{reason.column ? t('import-reason-in-column', { column: verbatim(reason.column), message: verbatim(reason.message) }) : reason.message}</div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rejected.total > rejected.rows.length && <p class="hint">{t('import-rejected-more', { shown: rejected.rows.length, total: rejected.total })}</p>}
        </>
      )}
      <div class="button-row">
        <button type="button" disabled={!online} onClick={() => report('xlsx')} data-testid="import-report-xlsx">
          {t('import-report-xlsx')}
        </button>
        <button type="button" disabled={!online} onClick={() => report('csv')} data-testid="import-report-csv">
          {t('import-report-csv')}
        </button>
      </div>
      {dryRun && changed && <p class="notice">{t('import-mapping-changed')}</p>}
      {dryRun && onImport && (
        <button type="button" class="primary" disabled={!online || working || changed || summary.created + summary.updated === 0} onClick={onImport} data-testid="import-run">
          {t('import-run', { count: summary.created + summary.updated })}
        </button>
      )}
      {error && <p class="notice error">{error}</p>}
    </section>
  );
}
