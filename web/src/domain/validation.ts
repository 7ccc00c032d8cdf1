// Validation and normalisation of case record writes against the form configuration.
//
// A port of `crates/sathi-domain/src/validation.rs`, checked against it by
// `conformance/validation.json`. The client runs a write through `Validator` before queueing it,
// and the server runs the same rules again when the write arrives. A write is a list of changes
// addressed by field path: `name_first` for a top-level field, `family_members/<row id>/relation`
// for a field of a subform row, and `family_members/<row id>` for a whole row (`null` removes it).
// Row ids are stable, so two devices editing different rows never collide on a position.

import type { Calculation, Condition, Configuration, Field, FormAccess, Location, LocationLevel } from './config';
import { findField, findLookup } from './config';
import {
  type CalendarDate,
  type DateError,
  ageYears,
  compareDates,
  daysBetween,
  estimatedDateOfBirth,
  formatDate,
  formatInstant,
  inZone,
  parseDate,
  parseInstant,
} from './dates';
import { type DigitError, type Result, asciiDigits, charCount, cleanText, err, ok, parseNumber } from './text';

/** A JSON value as it is stored in a record and sent over the wire. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The JSON key of a subform row's stable id, the name the incumbent system's exports use. */
export const ROW_ID = 'unique_id';

/** One field-level write. */
export interface Change {
  path: string;
  value: JsonValue;
}

/**
 * Why one value was rejected: a stable code for machines and translators, the field path, and
 * the parameters the message needs (allowed values, limits), all as strings. The server leaves
 * `params` out of its JSON when it is empty.
 */
export interface FieldError {
  code: string;
  path: string;
  params: Record<string, string>;
}

/** A value change as it enters the change log. */
export interface AppliedChange {
  path: string;
  old_value: JsonValue;
  new_value: JsonValue;
}

/** A write after validation: the record data as it will be stored, and the normalised changes. */
export interface ValidatedWrite {
  data: JsonObject;
  changes: AppliedChange[];
}

export type ValidationResult = Result<ValidatedWrite, FieldError[]>;

/** Returns the caller's access to a form id. */
export type AccessOf = (formId: string) => FormAccess;

function fieldError(code: string, path: string, params: Record<string, string> = {}): FieldError {
  return { code, path, params };
}

/** Checks writes against one configuration on one calendar day. */
export class Validator {
  private readonly locations: ReadonlyMap<string, Location>;

  /** `today` is the date in the deployment's zone, which decides "not in the future". */
  constructor(
    private readonly config: Configuration,
    private readonly today: CalendarDate,
  ) {
    this.locations = new Map(config.locations.map((location) => [location.code, location]));
  }

  /** Validates the data of a new record: every field, and every required field that is visible. */
  validateNew(input: JsonObject, access: AccessOf): ValidationResult {
    const changes: Change[] = Object.entries(input).map(([path, value]) => ({ path, value }));
    const applied = this.apply({}, changes, access);
    if (!applied.ok) {
      // Report missing fields too, so one round trip shows everything to correct.
      const missing = this.missingRequired(input).filter((error) => !Object.hasOwn(input, error.path));
      return err([...applied.error, ...missing]);
    }

    const missing = this.missingRequired(applied.value.data);
    if (missing.length > 0) {
      return err(missing);
    }
    this.derive(applied.value);
    return applied;
  }

  /**
   * Validates changes to an existing record. Required fields are checked only where a change
   * clears them, so records migrated with gaps can still be edited.
   */
  validateUpdate(current: JsonObject, changes: readonly Change[], access: AccessOf): ValidationResult {
    const applied = this.apply(current, changes, access);
    if (!applied.ok) {
      return applied;
    }

    const errors: FieldError[] = [];
    for (const change of applied.value.changes) {
      if (change.new_value !== null || change.path.includes('/')) {
        continue;
      }
      const found = findField(this.config, change.path);
      if (found !== undefined && found.field.required && this.isVisible(found.field, applied.value.data)) {
        errors.push(fieldError('required', change.path));
      }
    }
    if (errors.length > 0) {
      return err(errors);
    }
    this.derive(applied.value);
    return applied;
  }

  /** Returns whether `field` is shown for this record and, inside a subform, this row. */
  isVisible(field: Field, data: JsonObject, row?: JsonObject): boolean {
    if (field.visible_if === undefined) {
      return true;
    }
    return evaluate(field.visible_if, (id) => (row !== undefined && Object.hasOwn(row, id) ? row[id] : member(data, id)));
  }

  private apply(current: JsonObject, changes: readonly Change[], access: AccessOf): ValidationResult {
    const data = structuredClone(current);
    const applied: AppliedChange[] = [];
    const errors: FieldError[] = [];
    for (const change of changes) {
      const outcome = this.applyOne(data, change, access);
      if (!outcome.ok) {
        errors.push(...outcome.error);
      } else if (outcome.value !== null) {
        applied.push(outcome.value);
      }
    }
    return errors.length === 0 ? ok({ data, changes: applied }) : err(errors);
  }

  /** Applies one change to `data`. The value is `null` when nothing changed. */
  private applyOne(data: JsonObject, change: Change, access: AccessOf): Result<AppliedChange | null, FieldError[]> {
    const segments = change.path.split('/');
    const unknownField = err([fieldError('unknown_field', change.path)]);
    const found = findField(this.config, segments[0]!);
    if (found === undefined) {
      return unknownField;
    }
    const { form, field } = found;
    if (access(form.id) !== 'read_write') {
      return err([fieldError('form_not_writable', change.path, { form: form.id })]);
    }

    if (segments.length === 1) {
      const normalized = this.normalize(field, change.value, change.path);
      if (!normalized.ok) {
        return normalized;
      }
      return ok(setIfChanged(data, field.id, member(data, field.id) ?? null, normalized.value, change.path));
    }
    if (field.type !== 'subform' || segments.length > 3) {
      return unknownField;
    }

    if (segments.length === 2) {
      const rowId = parseUuid(segments[1]!);
      if (rowId === null) {
        return err([fieldError('invalid_row_id', change.path)]);
      }
      const rows = subformRows(data, field.id);
      const position = rows.findIndex((row) => rowIdOf(row) === rowId);
      const oldValue = position >= 0 ? rows[position]! : null;
      let newValue: JsonValue = null;
      if (change.value !== null) {
        const row = this.normalizeRow(field.fields, change.value, rowId, field.id);
        if (!row.ok) {
          return row;
        }
        newValue = row.value;
      }

      if (position >= 0 && newValue === null) {
        rows.splice(position, 1);
      } else if (position >= 0) {
        rows[position] = newValue;
      } else if (newValue !== null) {
        rows.push(newValue);
      } else {
        return ok(null);
      }
      return ok(jsonEqual(oldValue, newValue) ? null : { path: change.path, old_value: oldValue, new_value: newValue });
    }

    const rowFieldId = segments[2]!;
    const rowField = field.fields.find((candidate) => candidate.id === rowFieldId);
    if (rowField === undefined) {
      return unknownField;
    }
    const rowId = parseUuid(segments[1]!);
    if (rowId === null) {
      return err([fieldError('invalid_row_id', change.path)]);
    }
    const normalized = this.normalize(rowField, change.value, change.path);
    if (!normalized.ok) {
      return normalized;
    }
    const row = subformRows(data, field.id).find((candidate) => rowIdOf(candidate) === rowId);
    if (row === undefined || !isObject(row)) {
      return err([fieldError('row_not_found', change.path)]);
    }
    return ok(setIfChanged(row, rowFieldId, member(row, rowFieldId) ?? null, normalized.value, change.path));
  }

  /** Normalises one value for `field`, or explains why it is invalid. `null` and blank strings mean "no value". */
  private normalize(field: Field, value: JsonValue, path: string): Result<JsonValue, FieldError[]> {
    if (field.read_only === true) {
      return err([fieldError('read_only_field', path)]);
    }
    if (isEmpty(value)) {
      return ok(null);
    }
    const single = (error: FieldError) => err([error]);
    const scripts = this.config.deployment.accepted_digit_scripts;

    switch (field.type) {
      case 'text':
      case 'textarea': {
        if (typeof value !== 'string') {
          return single(typeError(path, 'text'));
        }
        const cleaned = cleanText(value);
        if (field.max_chars !== undefined && charCount(cleaned) > field.max_chars) {
          return single(fieldError('too_long', path, { max: String(field.max_chars) }));
        }
        return ok(cleaned === '' ? null : cleaned);
      }

      case 'number': {
        let number: number;
        if (typeof value === 'number') {
          number = value;
        } else if (typeof value === 'string') {
          const parsed = parseNumber(value, scripts);
          if (!parsed.ok) {
            return single(
              parsed.error.code === 'invalid_number' ? fieldError('invalid_number', path) : digitError(path, parsed.error),
            );
          }
          number = parsed.value;
        } else {
          return single(typeError(path, 'number'));
        }
        if (!Number.isFinite(number)) {
          return single(fieldError('invalid_number', path));
        }
        if (field.decimal !== true && !Number.isInteger(number)) {
          return single(fieldError('not_whole_number', path));
        }
        if (field.min !== undefined && number < field.min) {
          return single(fieldError('below_min', path, { min: formatFloat(field.min) }));
        }
        if (field.max !== undefined && number > field.max) {
          return single(fieldError('above_max', path, { max: formatFloat(field.max) }));
        }
        return ok(numberValue(number));
      }

      case 'date': {
        if (typeof value !== 'string') {
          return single(typeError(path, 'date'));
        }
        const parsed = parseDate(value, scripts);
        if (!parsed.ok) {
          return single(dateError(path, parsed.error));
        }
        if (field.not_future === true && compareDates(parsed.value, this.today) > 0) {
          return single(fieldError('date_in_future', path, { today: formatDate(this.today) }));
        }
        return ok(formatDate(parsed.value));
      }

      case 'date_time': {
        if (typeof value !== 'string') {
          return single(typeError(path, 'date_time'));
        }
        const converted = asciiDigits(value, scripts);
        if (!converted.ok) {
          return single(digitError(path, converted.error));
        }
        const instant = parseInstant(converted.value);
        if (!instant.ok) {
          return single(dateError(path, instant.error));
        }
        // NOTE: the server panics on an instant whose UTC year is outside 0000-9999 (such as
        // 0000-01-01T00:00:00+01:00) instead of rejecting it. The client rejects it as a bad format.
        const utc = formatInstant(inZone(instant.value, 0));
        return utc === null ? single(fieldError('invalid_date_format', path)) : ok(utc);
      }

      case 'select':
      case 'radio': {
        if (typeof value !== 'string') {
          return single(typeError(path, 'option'));
        }
        const option = this.checkOption(field.lookup, value, path);
        return option.ok ? option : single(option.error);
      }

      case 'multi_select': {
        if (!Array.isArray(value)) {
          return single(typeError(path, 'options'));
        }
        const chosen: string[] = [];
        for (const item of value) {
          if (typeof item !== 'string') {
            return single(typeError(path, 'options'));
          }
          const option = this.checkOption(field.lookup, item, path);
          if (!option.ok) {
            return single(option.error);
          }
          if (!chosen.includes(option.value)) {
            chosen.push(option.value);
          }
        }
        return ok(chosen.length === 0 ? null : chosen);
      }

      case 'tick_box':
        return typeof value === 'boolean' ? ok(value) : single(typeError(path, 'yes_no'));

      case 'tally':
        return this.normalizeTally(field.lookup, value, path);

      case 'subform': {
        if (!Array.isArray(value)) {
          return single(typeError(path, 'rows'));
        }
        const rows: JsonValue[] = [];
        const errors: FieldError[] = [];
        for (const row of value) {
          const normalized = this.normalizeRow(field.fields, row, null, path);
          if (normalized.ok) {
            rows.push(normalized.value);
          } else {
            errors.push(...normalized.error);
          }
        }
        return errors.length === 0 ? ok(rows) : err(errors);
      }

      case 'photo':
      case 'audio':
      case 'document': {
        const valid = Array.isArray(value) && value.every((item) => typeof item === 'string' && parseUuid(item) !== null);
        return valid ? ok(value) : single(typeError(path, 'attachments'));
      }

      case 'signature':
        return typeof value === 'string' && parseUuid(value) !== null ? ok(value) : single(typeError(path, 'attachment'));

      case 'location': {
        if (typeof value !== 'string') {
          return single(typeError(path, 'location'));
        }
        const code = rustTrim(value);
        const location = this.locations.get(code);
        if (location === undefined) {
          return single(fieldError('unknown_location', path, { value: code }));
        }
        if (field.min_level !== undefined && precision(location.level) < precision(field.min_level)) {
          return single(fieldError('location_too_coarse', path, { min_level: field.min_level }));
        }
        return ok(code);
      }

      case 'separator':
      case 'calculated':
      case 'system':
        return single(fieldError('read_only_field', path));
    }
  }

  /**
   * Normalises a subform row: keeps or assigns its stable id and validates its fields.
   *
   * A row without an id gets a new UUID v7. The server keeps any valid UUID the client sends,
   * written in lowercase hyphenated form, so an id made offline stays the row's id for good.
   */
  private normalizeRow(
    fields: readonly Field[],
    row: JsonValue,
    expectedId: string | null,
    subformPath: string,
  ): Result<JsonValue, FieldError[]> {
    if (!isObject(row)) {
      return err([typeError(subformPath, 'row')]);
    }
    let rowId: string;
    const given = member(row, ROW_ID);
    if (given === undefined) {
      rowId = expectedId ?? uuidV7();
    } else {
      const parsed = typeof given === 'string' ? parseUuid(given) : null;
      if (parsed === null || (expectedId !== null && parsed !== expectedId)) {
        return err([fieldError('invalid_row_id', subformPath)]);
      }
      rowId = parsed;
    }

    const rowPath = `${subformPath}/${rowId}`;
    const output: JsonObject = { [ROW_ID]: rowId };
    const errors: FieldError[] = [];
    for (const [key, value] of Object.entries(row)) {
      if (key === ROW_ID) {
        continue;
      }
      const path = `${rowPath}/${key}`;
      const field = fields.find((candidate) => candidate.id === key);
      if (field === undefined) {
        errors.push(fieldError('unknown_field', path));
        continue;
      }
      const normalized = this.normalize(field, value, path);
      if (!normalized.ok) {
        errors.push(...normalized.error);
      } else if (normalized.value !== null) {
        output[key] = normalized.value;
      }
    }

    for (const field of fields) {
      const present = (member(output, field.id) ?? null) !== null;
      // NOTE: the server evaluates a row field's condition on the row alone, so a condition on a
      // top-level field reads as "not set" here, unlike `isVisible`.
      const visible = field.visible_if === undefined || evaluate(field.visible_if, (id) => member(output, id));
      // A value that was given but is invalid already has its error; "required" would repeat it.
      const provided = Object.hasOwn(row, field.id) && !isEmpty(row[field.id]);
      if (field.required === true && !present && !provided && visible) {
        errors.push(fieldError('required', `${rowPath}/${field.id}`));
      }
    }
    return errors.length === 0 ? ok(output) : err(errors);
  }

  private normalizeTally(lookupId: string, value: JsonValue, path: string): Result<JsonValue, FieldError[]> {
    if (!isObject(value)) {
      return err([typeError(path, 'tally')]);
    }
    const output: JsonObject = {};
    for (const [option, count] of Object.entries(value)) {
      const id = this.checkOption(lookupId, option, path);
      if (!id.ok) {
        return err([id.error]);
      }
      let number: number | null = null;
      if (typeof count === 'number') {
        number = count;
      } else if (typeof count === 'string') {
        const parsed = parseNumber(count, this.config.deployment.accepted_digit_scripts);
        number = parsed.ok ? parsed.value : null;
      }
      if (number === null || number < 0 || !Number.isInteger(number)) {
        return err([fieldError('invalid_tally', path, { option })]);
      }
      output[id.value] = numberValue(number);
    }
    return ok(output);
  }

  /** Returns the option id for `raw`, an option id compared exactly after trimming whitespace. */
  private checkOption(lookupId: string, raw: string, path: string): Result<string, FieldError> {
    const lookup = findLookup(this.config, lookupId);
    if (lookup === undefined) {
      return err(fieldError('unknown_option', path, { value: raw }));
    }
    const requested = rustTrim(raw);
    const option = lookup.options.find((candidate) => candidate.id === requested);
    if (option !== undefined) {
      return ok(option.id);
    }
    const allowed = lookup.options.map((candidate) => candidate.id).join(', ');
    return err(fieldError('unknown_option', path, { allowed, lookup: lookupId, value: requested }));
  }

  private missingRequired(data: JsonObject): FieldError[] {
    const errors: FieldError[] = [];
    for (const form of this.config.forms) {
      for (const field of form.fields) {
        const present = (member(data, field.id) ?? null) !== null;
        if (field.required === true && !present && this.isVisible(field, data)) {
          errors.push(fieldError('required', field.id));
        }
      }
    }
    return errors;
  }

  /**
   * Fills values that follow from others: an age typed without an exact date of birth gives an
   * estimated date of birth (the registration date, or today, minus the age) and sets
   * `date_of_birth_estimated`, so the child's age keeps moving on.
   */
  private derive(write: ValidatedWrite): void {
    const ageChanged = write.changes.some((change) => change.path === 'age');
    const dobChanged = write.changes.some((change) => change.path === 'date_of_birth');
    const data = write.data;
    const dob = member(data, 'date_of_birth');
    const hasExactDob = dob !== undefined && dob !== null && member(data, 'date_of_birth_estimated') !== true;
    if (dobChanged || !ageChanged || hasExactDob) {
      return;
    }
    const age = member(data, 'age');
    if (typeof age !== 'number' || !Number.isInteger(age) || age < 0) {
      return;
    }

    const registration = member(data, 'registration_date');
    const parsed = typeof registration === 'string' ? parseDate(registration, []) : null;
    const registered = parsed?.ok === true ? parsed.value : this.today;
    const estimated = formatDate(estimatedDateOfBirth(age, registered));
    for (const [path, value] of [
      ['date_of_birth', estimated],
      ['date_of_birth_estimated', true],
    ] as const) {
      const applied = setIfChanged(data, path, member(data, path) ?? null, value, path);
      if (applied !== null) {
        write.changes.push(applied);
      }
    }
  }
}

/** Evaluates a visibility condition. `lookup` returns the current value of a field id. */
export function evaluate(condition: Condition, lookup: (fieldId: string) => JsonValue | undefined): boolean {
  if ('all' in condition) {
    return condition.all.every((inner) => evaluate(inner, lookup));
  }
  if ('any' in condition) {
    return condition.any.some((inner) => evaluate(inner, lookup));
  }
  const value = lookup(condition.field);
  if ('equals' in condition) {
    return value !== undefined && jsonEqual(value, condition.equals as JsonValue);
  }
  if ('includes' in condition) {
    return Array.isArray(value) && value.some((item) => item === condition.includes);
  }
  return (value !== undefined && !isEmpty(value)) === condition.is_set;
}

/**
 * Computes a calculated field from the record, like the server's `calculate`: whole years from
 * a date of birth to `today`, or whole days between two date fields (or to `today`). Returns
 * `null` when a source date is missing or is not a valid `YYYY-MM-DD` date.
 */
export function calculate(calculation: Calculation, data: JsonObject, today: CalendarDate): number | null {
  const dateOf = (key: string): CalendarDate | null => {
    const raw = member(data, key);
    if (typeof raw !== 'string') {
      return null;
    }
    const parsed = parseDate(raw, []);
    return parsed.ok ? parsed.value : null;
  };

  const from = dateOf(calculation.from);
  if (from === null) {
    return null;
  }
  if (calculation.kind === 'age_years') {
    return ageYears(from, today);
  }
  const to = calculation.to === undefined ? today : dateOf(calculation.to);
  return to === null ? null : daysBetween(from, to);
}

/** Compares two JSON values structurally. Object key order does not matter. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]!));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key]!, b[key]!));
  }
  return false;
}

/**
 * Parses a UUID in any form the server's `uuid` crate reads (hyphenated, 32 hex digits, braced or
 * `urn:uuid:`) and returns it lowercase and hyphenated, or `null` when it is not a UUID.
 */
export function parseUuid(text: string): string | null {
  const match =
    /^(?:urn:uuid:)?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/.exec(text) ??
    /^\{([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}$/.exec(text) ??
    /^([0-9a-fA-F]{8})([0-9a-fA-F]{4})([0-9a-fA-F]{4})([0-9a-fA-F]{4})([0-9a-fA-F]{12})$/.exec(text);
  return match === null ? null : match.slice(1).join('-').toLowerCase();
}

/** Makes a UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. */
export function uuidV7(nowMs: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let timestamp = nowMs;
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = timestamp % 256;
    timestamp = Math.floor(timestamp / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Returns the own property `key` of `object`, never one inherited from `Object.prototype`. */
function member(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Trims Unicode White_Space like Rust's `str::trim`, which keeps ZWSP and BOM, unlike `cleanText`. */
function rustTrim(text: string): string {
  return text.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
}

function isEmpty(value: JsonValue): boolean {
  return value === null || (typeof value === 'string' && rustTrim(value) === '');
}

function setIfChanged(
  target: JsonObject,
  key: string,
  oldValue: JsonValue,
  newValue: JsonValue,
  path: string,
): AppliedChange | null {
  if (jsonEqual(oldValue, newValue)) {
    return null;
  }
  if (newValue === null) {
    delete target[key];
  } else {
    target[key] = newValue;
  }
  return { path, old_value: oldValue, new_value: newValue };
}

/** Returns the rows of subform `fieldId`, first making the value an empty list when it is not a list, as the server does. */
function subformRows(data: JsonObject, fieldId: string): JsonValue[] {
  const slot = member(data, fieldId);
  if (Array.isArray(slot)) {
    return slot;
  }
  const rows: JsonValue[] = [];
  data[fieldId] = rows;
  return rows;
}

function rowIdOf(row: JsonValue): string | null {
  const id = isObject(row) ? member(row, ROW_ID) : undefined;
  return typeof id === 'string' ? parseUuid(id) : null;
}

/** Returns `number` with negative zero made zero, the way the server stores whole numbers. */
function numberValue(number: number): number {
  return number === 0 ? 0 : number;
}

/** Formats a limit the way Rust's `f64` Display does: shortest round-trip digits, never an exponent. */
export function formatFloat(value: number): string {
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (exponent === null) {
    return text;
  }
  const [, sign, lead, rest = '', power] = exponent;
  const digits = lead! + rest;
  const shift = Number(power);
  if (shift >= 0) {
    return sign + digits.padEnd(shift + 1, '0');
  }
  return `${sign}0.${'0'.repeat(-shift - 1)}${digits}`;
}

function typeError(path: string, expected: string): FieldError {
  return fieldError('invalid_type', path, { expected });
}

function digitError(path: string, error: DigitError): FieldError {
  const scripts = error.code === 'mixed_digit_scripts' ? `${error.first}, ${error.second}` : error.script;
  return fieldError(error.code, path, { scripts });
}

function dateError(path: string, error: DateError): FieldError {
  if (error.code === 'mixed_digit_scripts' || error.code === 'digit_script_not_accepted') {
    return digitError(path, error);
  }
  return fieldError(error.code, path);
}

/** Orders levels by precision. Camps and host-community unions are equally precise. */
function precision(level: LocationLevel): number {
  const order: Record<LocationLevel, number> = {
    country: 0,
    division: 1,
    district: 2,
    upazila: 3,
    camp: 4,
    union: 4,
    block: 5,
  };
  return order[level];
}
