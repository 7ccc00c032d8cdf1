import { caseAge, caseName, optionLabel, placeName } from '../caseText';
import { AttachmentList } from '../components/AttachmentField';
import { CaseActions } from '../components/CaseActions';
import { CasePdf } from '../components/CasePdf';
import { FlagList } from '../components/FlagList';
import { CaseNotOnPhone } from '../components/CaseNotOnPhone';
import { CaseSharing, notShared, sharedFormsFor } from '../components/CaseSharing';
import { RiskBadge } from '../components/RiskBadge';
import { WithdrawChanges } from '../components/WithdrawChanges';
import { formAccess, scopeOf, type Configuration, type Field } from '../domain/config';
import { today } from '../domain/dates';
import { calculate, ROW_ID, Validator, type JsonObject, type JsonValue } from '../domain/validation';
import { formatDate, formatInstant, label, localizeDigits, t } from '../i18n';
import type { LocalCase } from '../model';
import { href } from '../router';
import { session } from '../session';
import { useCase } from '../useCase';
import { ConflictPanel } from './ConflictPanel';
import { Reassign } from './Reassign';
import { pathLabel, SyncBadge } from './SyncStatus';

export function CaseView({ id, form }: { id: string; form?: string }) {
  const record = useCase(id);
  const current = session.value!;
  const config = current.configuration;
  // Reading the case from the vault takes a few milliseconds; nothing is shown meanwhile.
  if (record === undefined) return null;
  const role = config?.roles.find((entry) => entry.id === current.user.role_id);
  if (!record || !config || !role) return <CaseNotOnPhone />;

  const readable = config.forms.filter((entry) => formAccess(role, entry.id) !== 'none');
  // A referral's recipient works on the shared forms only. The server returns 404 when they add
  // flags, ask for approvals or close the case, so those actions are not offered.
  const guest = sharedFormsFor(record) !== null;
  const shown = readable.find((entry) => entry.id === form) ?? readable[0];
  const validator = new Validator(config, today(Date.now(), config.deployment.utc_offset_minutes));
  const data = record.data as JsonObject;
  const fields = shown.fields.filter((field) => field.type !== 'separator' && validator.isVisible(field, data));
  const values = fields
    .map((field) => [field, displayValue(field, data[field.id], record, config)] as const)
    .filter(([, value]) => value !== '');

  return (
    <article aria-labelledby="case-title">
      <header class="card">
        <h1 id="case-title">{caseName(record)}</h1>
        <p style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap', alignItems: 'center', margin: 0 }}>
          <RiskBadge level={record.data.risk_level} />
          {record.display_id && <span class="badge">{record.display_id}</span>}
          <span class="badge">{record.status === 'closed' ? t('status-closed') : t('status-open')}</span>
          <span class="badge">
            {t('case-stage')}: {t(`stage-${record.stage}`)}
          </span>
          <SyncBadge record={record} />
        </p>
        <p class="hint" style={{ marginTop: '0.4rem' }}>
          {[caseAge(record, config), optionLabel(config, 'sex', record.data.sex), placeName(config, record.data.location_current)]
            .filter(Boolean)
            .join(' · ')}
        </p>
        {(record.changedOnServer?.length ?? 0) > 0 && (
          <p class="notice error" data-testid="changed-on-server">
            {t('case-changed-on-server', { detail: record.changedOnServer!.map((path) => pathLabel(config, path)).join(', ') })}
          </p>
        )}
        <p style={{ display: 'flex', gap: '0.75rem', flexWrap: 'wrap', margin: '0.4rem 0 0' }}>
          <a href={href({ name: 'history', id })}>{t('case-history')}</a>
          {record.rejected ? <a href={href({ name: 'not-sent' })}>{t('sync-not-sent-link', { count: record.rejected })}</a> : null}
        </p>
        <CasePdf record={record} />
        <WithdrawChanges record={record} />
        <FlagList record={record} canWrite={!guest && scopeOf(role, 'write') !== null} />
      </header>
      <ConflictPanel record={record} config={config} />
      {!guest && <CaseActions record={record} role={role} />}
      {scopeOf(role, 'assign') !== null && <Reassign record={record} />}
      <nav class="tabs" aria-label={t('case-forms')}>
        {readable.map((entry) => (
          <a href={href({ name: 'case', id, form: entry.id })} aria-current={entry.id === shown.id ? 'page' : undefined} key={entry.id}>
            {label(entry.name)}
          </a>
        ))}
      </nav>
      <section class="card" aria-labelledby="form-title">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: '0.5rem' }}>
          <h2 id="form-title">{label(shown.name)}</h2>
          {formAccess(role, shown.id) === 'read_write' && !notShared(record, shown.id) && shown.fields.some((field) => !field.read_only) && (
            <a class="button" href={href({ name: 'edit', id, form: shown.id })}>
              {t('case-edit')}
            </a>
          )}
        </div>
        {values.length === 0 ? (
          <p class="hint" data-testid="form-empty">{notShared(record, shown.id) ? t('sharing-form-not-shared') : t('form-empty')}</p>
        ) : (
          <dl class="values">
            {values.map(([field, value]) => (
              <>
                <dt key={`${field.id}-label`} class={field.type === 'subform' ? 'wide' : undefined}>{label(field.label)}</dt>
                <dd key={`${field.id}-value`} class={field.type === 'subform' ? 'wide' : undefined}>
                  {value}
                  {disputed(record, field.id) && <DisputedMark />}
                </dd>
              </>
            ))}
          </dl>
        )}
      </section>
      <CaseSharing record={record} />
    </article>
  );
}

/** Whether an open conflict concerns field `fieldId` or a row of it. */
export function disputed(record: LocalCase, fieldId: string): boolean {
  return (record.conflicts ?? []).some((conflict) => conflict.path.split('/')[0] === fieldId);
}

/** Points from a field to its conflict card at the top of the case. */
export function DisputedMark() {
  return (
    <span class="disputed" data-testid="disputed">
      {t('case-field-disputed')}
    </span>
  );
}

/** Formats a stored value as a person reads it: option labels, dates in words, Bengali digits. */
export function displayValue(field: Field, value: JsonValue | undefined, record: LocalCase, config: Configuration): preact.ComponentChildren {
  if (field.type === 'calculated') {
    const computed = calculate(field.calculation, record.data as JsonObject, today(Date.now(), config.deployment.utc_offset_minutes));
    return computed === null ? '' : localizeDigits(String(computed));
  }
  if (field.type === 'system') return systemValue(field.source, record);
  if (value === undefined || value === null || value === '') return '';
  switch (field.type) {
    case 'select':
    case 'radio':
      return optionLabel(config, field.lookup, value);
    case 'multi_select':
      return (value as string[]).map((entry) => optionLabel(config, field.lookup, entry)).join(', ');
    case 'tick_box':
      return value === true ? t('field-yes') : t('field-no');
    case 'date':
      return formatDate(String(value));
    case 'date_time': {
      const instant = Date.parse(String(value));
      return Number.isNaN(instant) ? String(value) : formatInstant(instant, config.deployment.utc_offset_minutes);
    }
    case 'number':
      return localizeDigits(String(value));
    case 'location':
      return placeName(config, value);
    case 'photo':
    case 'audio':
    case 'document':
    case 'signature':
      return <AttachmentList caseId={record.id} ids={Array.isArray(value) ? (value as string[]) : [String(value)]} />;
    case 'tally':
      return Object.entries(value as JsonObject)
        .map(([option, count]) => `${optionLabel(config, field.lookup, option)}: ${localizeDigits(String(count))}`)
        .join(', ');
    case 'subform': {
      const rows = value as JsonObject[];
      if (rows.length === 0) return '';
      return (
        <div>
          {rows.map((row, index) => (
            <div class="row-block" key={String(row[ROW_ID])}>
              <strong>{t('field-row', { number: index + 1 })}</strong>
              <dl class="values">
                {field.fields
                  .map((rowField) => [rowField, displayValue(rowField, row[rowField.id], record, config)] as const)
                  .filter(([, shown]) => shown !== '')
                  .map(([rowField, shown]) => (
                    <>
                      <dt>{label(rowField.label)}</dt>
                      <dd>{shown}</dd>
                    </>
                  ))}
              </dl>
            </div>
          ))}
        </div>
      );
    }
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}

function systemValue(source: string, record: LocalCase): string {
  switch (source) {
    case 'case_id':
      return record.id;
    case 'display_id':
      return record.display_id;
    case 'status':
      return record.status === 'closed' ? t('status-closed') : t('status-open');
    case 'stage':
      return t(`stage-${record.stage}`);
    case 'created_at':
      return formatDate(record.created_at.slice(0, 10));
    default:
      return '';
  }
}
