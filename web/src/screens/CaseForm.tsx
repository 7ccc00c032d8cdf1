import { useMemo, useState } from 'preact/hooks';
import { Fragment } from 'preact';
import { caseName } from '../caseText';
import { CaseNotOnPhone } from '../components/CaseNotOnPhone';
import { FieldInput } from '../components/FieldInput';
import { formAccess, type Configuration, type Field, type Form } from '../domain/config';
import { today } from '../domain/dates';
import { calculate, ROW_ID, uuidV7, Validator, type Change, type FieldError, type JsonObject, type JsonValue } from '../domain/validation';
import { errorText } from '../errors';
import { errorsByPath } from '../fieldErrors';
import { label, localizeDigits, t } from '../i18n';
import type { LocalCase } from '../model';
import { navigate } from '../router';
import { session } from '../session';
import { createCaseLocally, updateCaseLocally } from '../sync';
import { disputed, DisputedMark } from './CaseView';
import { useCase } from '../useCase';

/** The forms a child is registered with, in order. */
const REGISTRATION_FORMS = ['basic_identity', 'protection_concerns', 'consent'];

type Props = { mode: 'new' } | { mode: 'edit'; id: string; form: string };

export function CaseForm(props: Props) {
  const record = useCase(props.mode === 'edit' ? props.id : undefined);
  // An edit waits until the whole case has been read from the vault, so the draft starts from it.
  if (props.mode === 'edit' && record === undefined) return null;
  return <CaseFormFields {...props} record={record ?? undefined} />;
}

function CaseFormFields(props: Props & { record: LocalCase | undefined }) {
  const current = session.value!;
  const config = current.configuration;
  const record = props.record;
  const [draft, setDraft] = useState<JsonObject>(() => (record ? (structuredClone(record.data) as JsonObject) : {}));
  const [errors, setErrors] = useState<FieldError[]>([]);
  // A save that failed on the phone itself (storage full, vault locked), in the user's language.
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Made before saving, so photos taken on a new case's forms are stored under its id.
  const [newCaseId] = useState(uuidV7);

  const role = config?.roles.find((entry) => entry.id === current.user.role_id);
  const forms = useMemo(() => {
    if (!config || !role) return [];
    const ids = props.mode === 'new' ? REGISTRATION_FORMS : [props.form];
    return ids
      .map((id) => config.forms.find((form) => form.id === id))
      .filter((form): form is Form => !!form && formAccess(role, form.id) === 'read_write');
  }, [config, role, props.mode, props.mode === 'edit' ? props.form : '']);

  if (!config || !role) return <p class="card">{t('sync-never')}</p>;
  if (props.mode === 'edit' && !record) return <CaseNotOnPhone />;

  const todayDate = today(Date.now(), config.deployment.utc_offset_minutes);
  const validator = new Validator(config, todayDate);
  const access = (formId: string) => formAccess(role, formId);
  const byPath = errorsByPath(errors, config);

  async function save(event: Event) {
    event.preventDefault();
    const result =
      props.mode === 'new'
        ? validator.validateNew(withoutEmpty(draft), access)
        : validator.validateUpdate(record!.data as JsonObject, changesFor(forms, record!.data as JsonObject, draft), access);
    if (!result.ok) {
      setErrors(result.error);
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      if (props.mode === 'new') {
        const created = await createCaseLocally(newCaseId, result.value.data);
        navigate({ name: 'case', id: created.id });
      } else {
        const changes: Change[] = result.value.changes.map((change) => ({ path: change.path, value: change.new_value }));
        if (changes.length > 0) await updateCaseLocally(record!, result.value.data, changes);
        navigate({ name: 'case', id: record!.id, form: props.form });
      }
    } catch (failure) {
      setSaveError(errorText(failure));
    } finally {
      setSaving(false);
    }
  }

  const title = props.mode === 'new' ? t('case-register-title') : `${caseName(record!)} · ${label(forms[0]?.name)}`;
  return (
    <form onSubmit={save} noValidate aria-labelledby="form-title">
      <h1 id="form-title">{title}</h1>
      {saveError && (
        <p class="notice error" role="alert" data-testid="save-error">
          {saveError}
        </p>
      )}
      {errors.length > 0 && (
        <p class="notice error" role="alert">
          {t('case-fix-errors')}
        </p>
      )}
      {forms.map((form) => (
        <section class="card" key={form.id} aria-labelledby={`form-${form.id}`}>
          <h2 id={`form-${form.id}`}>{label(form.name)}</h2>
          {form.fields
            .filter((field) => validator.isVisible(field, draft))
            .filter((field) => field.type !== 'system')
            .map((field) => (
              <Fragment key={field.id}>
                {record && disputed(record, field.id) && <DisputedMark />}
                <FieldInput
                field={field}
                value={draft[field.id]}
                onChange={(value) => setDraft((previous) => ({ ...previous, [field.id]: value }))}
                config={config}
                path={field.id}
                errors={byPath}
                isRowFieldVisible={(rowField, row) => validator.isVisible(rowField, draft, row)}
                computed={computedText(field, draft, config, todayDate)}
                  caseId={record?.id ?? newCaseId}
                />
              </Fragment>
            ))}
        </section>
      ))}
      <div class="actions">
        <button class="primary" type="submit" disabled={saving}>
          {saving ? t('case-saving') : props.mode === 'new' ? t('case-register-save') : t('case-save')}
        </button>
        <button type="button" onClick={() => history.back()}>
          {t('case-cancel')}
        </button>
      </div>
    </form>
  );
}

function computedText(field: Field, data: JsonObject, config: Configuration, todayDate: ReturnType<typeof today>): string | undefined {
  if (field.type !== 'calculated') return undefined;
  const value = calculate(field.calculation, data, todayDate);
  void config;
  return value === null ? undefined : localizeDigits(String(value));
}

/** Drops values a person left empty, so a new record holds only what was recorded. */
function withoutEmpty(data: JsonObject): JsonObject {
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    kept[key] = value;
  }
  return kept;
}

/** Field-level changes from `before` to `after` for the fields of `forms`: subform rows by
 * their stable id, and within an existing row field by field, so edits merge finely. */
export function changesFor(forms: Form[], before: JsonObject, after: JsonObject): Change[] {
  const changes: Change[] = [];
  for (const form of forms) {
    for (const field of form.fields) {
      if (field.read_only || field.type === 'separator' || field.type === 'calculated' || field.type === 'system') continue;
      const old = before[field.id] ?? null;
      const next = after[field.id] ?? null;
      if (field.type !== 'subform') {
        if (JSON.stringify(old) !== JSON.stringify(next)) changes.push({ path: field.id, value: next === '' ? null : next });
        continue;
      }
      const oldRows = new Map(((old as JsonObject[] | null) ?? []).map((row) => [String(row[ROW_ID]), row]));
      const newRows = (next as JsonObject[] | null) ?? [];
      for (const row of newRows) {
        const rowId = String(row[ROW_ID]);
        const previous = oldRows.get(rowId);
        if (!previous) {
          changes.push({ path: `${field.id}/${rowId}`, value: row });
          continue;
        }
        for (const rowField of field.fields) {
          if (rowField.read_only || rowField.type === 'calculated' || rowField.type === 'system') continue;
          const a: JsonValue = previous[rowField.id] ?? null;
          const b: JsonValue = row[rowField.id] ?? null;
          if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ path: `${field.id}/${rowId}/${rowField.id}`, value: b === '' ? null : b });
        }
      }
      const kept = new Set(newRows.map((row) => String(row[ROW_ID])));
      for (const rowId of oldRows.keys()) {
        if (!kept.has(rowId)) changes.push({ path: `${field.id}/${rowId}`, value: null });
      }
    }
  }
  return changes;
}

export type { LocalCase };
