import type { Configuration, Field } from '../domain/config';
import type { JsonObject, JsonValue } from '../domain/validation';
import { ROW_ID, uuidV7 } from '../domain/validation';
import { formatDate as isoDate, today } from '../domain/dates';
import { formatDate, label, localizeDigits, t } from '../i18n';
import { optionLabel } from '../caseText';
import { AttachmentField } from './AttachmentField';

interface Props {
  field: Field;
  value: JsonValue | undefined;
  onChange: (value: JsonValue) => void;
  config: Configuration;
  /** Field path, used for ids and to find this field's error. */
  path: string;
  errors: Map<string, string>;
  /** Whether a row field of `field` is shown, given the row (for subforms). */
  isRowFieldVisible?: (rowField: Field, row: JsonObject) => boolean;
  /** Value shown for calculated and system fields. */
  computed?: string;
  /** The case the form belongs to (made before a new case is saved); attachment fields need it. */
  caseId?: string;
}

function options(config: Configuration, lookupId: string) {
  return config.lookups.find((lookup) => lookup.id === lookupId)?.options ?? [];
}

const inputId = (path: string) => `f-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/** Renders one field of a form from the configuration, with its label, help and error. */
export function FieldInput(props: Props) {
  const { field, value, onChange, config, path, errors } = props;
  const id = inputId(path);
  const error = errors.get(path);
  const describedBy = [field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  let text = '';
  if (typeof value === 'string') text = value;
  else if (value !== undefined && value !== null) text = String(value);
  const common = {
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    'aria-required': field.required || undefined,
  };
  const heading = (
    <>
      {label(field.label)}
      {field.required && (
        <span class="required-mark" aria-hidden="true">
          {' '}*
        </span>
      )}
    </>
  );
  const help = field.help ? (
    <p class="hint" id={`${id}-help`}>
      {label(field.help)}
    </p>
  ) : null;
  const errorLine = error ? (
    <p class="error" id={`${id}-error`} role="alert">
      {error}
    </p>
  ) : null;

  if (field.type === 'separator') return <h3>{label(field.label)}</h3>;

  // Values that an approval, a reopening or the server writes are shown as text. The phone never
  // sends a change to them, so an input would only lose what the person typed.
  if (field.read_only && field.type !== 'calculated' && field.type !== 'system') {
    return (
      <div class="field" data-field={path}>
        <label for={id}>{heading}</label>
        {help}
        <output id={id} class="read-only-value" aria-describedby={describedBy} data-testid="read-only-value">
          {readOnlyText(field, value, config)}
        </output>
        {errorLine}
      </div>
    );
  }

  if (field.type === 'multi_select' || field.type === 'radio' || field.type === 'tally' || field.type === 'subform') {
    return (
      <fieldset class="field" aria-describedby={describedBy} data-field={path}>
        <legend>{heading}</legend>
        {help}
        {field.type === 'multi_select' && renderMulti(field.lookup)}
        {field.type === 'radio' && renderRadio(field.lookup)}
        {field.type === 'tally' && renderTally(field.lookup)}
        {field.type === 'subform' && renderSubform(field)}
        {errorLine}
      </fieldset>
    );
  }

  return (
    <div class="field" data-field={path}>
      {field.type === 'tick_box' ? (
        <label class="choice" for={id}>
          <input
            {...common}
            type="checkbox"
            checked={value === true}
            onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
          />
          {heading}
        </label>
      ) : (
        <label for={id}>{heading}</label>
      )}
      {help}
      {renderControl()}
      {errorLine}
    </div>
  );

  function renderControl() {
    const onText = (event: Event) => onChange((event.target as HTMLInputElement).value);
    switch (field.type) {
      case 'text':
        return <input {...common} type="text" value={text} onInput={onText} />;
      case 'textarea':
        return <textarea {...common} value={text} onInput={onText} />;
      case 'number':
        // A text input, so Bengali digits can be typed; the validator converts them.
        return <input {...common} type="text" inputMode="decimal" value={localizeIfNumber(value, text)} onInput={onText} />;
      case 'date':
        // Typed, so Bengali digits work; "Today" fills the date in the deployment's zone.
        return (
          <div class="date-row">
            <input {...common} type="text" inputMode="numeric" placeholder={t('field-date-placeholder')} value={text} onInput={onText} />
            <button
              type="button"
              onClick={() => onChange(localizeDigits(isoDate(today(Date.now(), config.deployment.utc_offset_minutes))))}
            >
              {t('field-today')}
            </button>
          </div>
        );
      case 'date_time': {
        // The picker shows the deployment's local time; the value sent carries its offset.
        const offset = config.deployment.utc_offset_minutes;
        return (
          <input
            {...common}
            type="datetime-local"
            value={toLocalInput(text, offset)}
            onInput={(event) => {
              const local = (event.target as HTMLInputElement).value;
              onChange(local ? `${local}:00${offsetSuffix(offset)}` : null);
            }}
          />
        );
      }
      case 'select':
        return (
          <select {...common} value={text} onChange={(event) => onChange((event.target as HTMLSelectElement).value || null)}>
            <option value="">{t('field-choose')}</option>
            {options(config, field.lookup).map((option) => (
              <option value={option.id} key={option.id}>
                {label(option.label)}
              </option>
            ))}
          </select>
        );
      case 'location':
        return <LocationPicker {...props} id={id} />;
      case 'photo':
      case 'audio':
      case 'document':
      case 'signature':
        return <AttachmentField field={field} value={value} onChange={onChange} config={config} caseId={props.caseId} inputId={id} common={common} />;
      case 'calculated':
      case 'system':
        return (
          // <output> is labelable, so the <label for> above names it for screen readers; a <p> is not.
          <output id={id} class="hint">
            {props.computed ?? t('field-not-set')}
          </output>
        );
      default:
        return null;
    }
  }

  function renderMulti(lookup: string) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    return options(config, lookup).map((option) => (
      <label class="choice" key={option.id}>
        <input
          type="checkbox"
          name={path}
          value={option.id}
          checked={chosen.includes(option.id)}
          onChange={(event) => {
            const on = (event.target as HTMLInputElement).checked;
            const next = on ? [...chosen, option.id] : chosen.filter((entry) => entry !== option.id);
            onChange(next.length > 0 ? next : null);
          }}
        />
        {label(option.label)}
      </label>
    ));
  }

  function renderRadio(lookup: string) {
    return options(config, lookup).map((option) => (
      <label class="choice" key={option.id}>
        <input type="radio" name={path} value={option.id} checked={value === option.id} onChange={() => onChange(option.id)} />
        {label(option.label)}
      </label>
    ));
  }

  function renderTally(lookup: string) {
    const counts = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as JsonObject;
    return options(config, lookup).map((option) => (
      <div class="field" key={option.id}>
        <label for={`${id}-${option.id}`}>{label(option.label)}</label>
        <input
          id={`${id}-${option.id}`}
          type="text"
          inputMode="numeric"
          value={counts[option.id] === undefined ? '' : localizeDigits(String(counts[option.id]))}
          onInput={(event) => {
            const raw = (event.target as HTMLInputElement).value;
            const next = { ...counts };
            if (raw.trim() === '') delete next[option.id];
            else next[option.id] = raw;
            onChange(Object.keys(next).length > 0 ? next : null);
          }}
        />
      </div>
    ));
  }

  function renderSubform(subform: Extract<Field, { type: 'subform' }>) {
    const rows = Array.isArray(value) ? (value as JsonObject[]) : [];
    const setRow = (index: number, row: JsonObject) => onChange(rows.map((existing, at) => (at === index ? row : existing)));
    return (
      <>
        {rows.map((row, index) => (
          <div class="row-block" key={String(row[ROW_ID])}>
            <h3>{t('field-row', { number: index + 1 })}</h3>
            {subform.fields
              .filter((rowField) => props.isRowFieldVisible?.(rowField, row) ?? true)
              .map((rowField) => (
                <FieldInput
                  key={rowField.id}
                  field={rowField}
                  value={row[rowField.id]}
                  onChange={(next) => setRow(index, { ...row, [rowField.id]: next })}
                  config={config}
                  path={`${path}/${String(row[ROW_ID])}/${rowField.id}`}
                  errors={errors}
                  caseId={props.caseId}
                />
              ))}
            <button type="button" class="danger" onClick={() => onChange(rows.filter((_, at) => at !== index))}>
              {t('field-remove-row')}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => onChange([...rows, { [ROW_ID]: uuidV7() }])}>
          + {t('field-add-row')}
        </button>
      </>
    );
  }
}

/** Formats the value of a read-only field as a person reads it, or "Not set". */
function readOnlyText(field: Field, value: JsonValue | undefined, config: Configuration): string {
  if (value === undefined || value === null || value === '') return t('field-not-set');
  switch (field.type) {
    case 'date':
      return formatDate(String(value));
    case 'number':
      return localizeDigits(String(value));
    case 'tick_box':
      return value === true ? t('field-yes') : t('field-no');
    case 'select':
    case 'radio':
      return optionLabel(config, field.lookup, value);
    case 'multi_select':
      return Array.isArray(value) ? value.map((entry) => optionLabel(config, field.lookup, entry)).join(', ') : String(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function localizeIfNumber(value: JsonValue | undefined, text: string): string {
  return typeof value === 'number' ? localizeDigits(text) : text;
}

/** Camp, then block: the two levels a caseworker records; upazilas group the camps. */
function LocationPicker(props: Props & { id: string }) {
  const { config, value, onChange, id, path, errors } = props;
  const byCode = new Map(config.locations.map((location) => [location.code, location]));
  const current = typeof value === 'string' ? byCode.get(value) : undefined;
  const campCode = current?.level === 'block' ? current.parent : current?.code;
  const camps = config.locations.filter((location) => location.level === 'camp' || location.level === 'union');
  const upazilas = config.locations.filter((location) => location.level === 'upazila');
  const blocks = config.locations.filter((location) => location.level === 'block' && location.parent === campCode);
  const error = errors.get(path);
  return (
    <>
      <select
        id={id}
        aria-label={t('field-location-camp')}
        aria-invalid={error ? 'true' : undefined}
        value={campCode ?? ''}
        onChange={(event) => onChange((event.target as HTMLSelectElement).value || null)}
      >
        <option value="">{t('field-choose')}</option>
        {upazilas.map((upazila) => (
          <optgroup label={label(upazila.name)} key={upazila.code}>
            {camps
              .filter((camp) => camp.parent === upazila.code)
              .map((camp) => (
                <option value={camp.code} key={camp.code}>
                  {label(camp.name)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {blocks.length > 0 && (
        <select
          aria-label={t('field-location-block')}
          style={{ marginTop: '0.4rem' }}
          value={current?.level === 'block' ? current.code : ''}
          onChange={(event) => onChange((event.target as HTMLSelectElement).value || campCode || null)}
        >
          <option value="">{t('field-location-block')}: {t('field-choose')}</option>
          {blocks.map((block) => (
            <option value={block.code} key={block.code}>
              {label(block.name)}
            </option>
          ))}
        </select>
      )}
    </>
  );
}

/** `+06:00` for an offset of 360 minutes. */
export function offsetSuffix(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

/** Formats an instant as `YYYY-MM-DDTHH:MM` in the deployment's zone, for a datetime-local input. */
export function toLocalInput(value: string, offsetMinutes: number): string {
  if (!value) return '';
  const instant = Date.parse(value);
  if (!/[zZ]|[+-]\d\d:\d\d$/.test(value) || Number.isNaN(instant)) return value.slice(0, 16);
  return new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 16);
}
