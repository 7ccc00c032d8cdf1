// @vitest-environment node
/// <reference types="node" />
// Runs the shared vectors under `conformance/` against the TypeScript port of `sathi-domain`.
// The Rust tests run the same files (`cargo test -p sathi-domain --test conformance`), so a case
// that passes on both sides is read the same way offline and on the server. The format is in
// `conformance/README.md`. Every case is its own test, named after the case.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import type { Configuration, DigitScript, Field, Form, FormAccess, Location, Lookup } from '../src/domain/config';
import {
  type AgeRange,
  type CalendarDate,
  type DateOrder,
  type Instant,
  ageRangeContains,
  ageRangeLabel,
  ageYears,
  dateOfBirthBounds,
  estimatedDateOfBirth,
  formatDate,
  formatInstant,
  inZone,
  instantEpochMs,
  parseDate,
  parseDateInOrder,
  parseInstant,
  sameMoment,
  today,
} from '../src/domain/dates';
import {
  type Result,
  asciiDigits,
  charCount,
  cleanText,
  nameSearchKey,
  nfc,
  parseNumber,
  searchTokens,
} from '../src/domain/text';
import { type Change, type FieldError, type JsonObject, type JsonValue, Validator } from '../src/domain/validation';
import { type Bucket, type CaseStatus, type DueItem, bucket, dueItems, stageOf, workflowRules } from '../src/domain/due';
import type { WorkflowRules } from '../src/domain/config';

function readVectors<T>(fileName: string): T {
  const url = new URL(`../../conformance/${fileName}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

interface FunctionCase {
  name: string;
  function: string;
  args: Record<string, unknown>;
  expected?: unknown;
  error?: string;
  note?: string;
}

interface FunctionFile {
  description: string;
  cases: FunctionCase[];
}

/** What a function returned: a JSON value, or the code of the error it raised. */
type Outcome = { value: unknown } | { error: string };

function outcomeOf<T>(result: Result<T, { code: string }>, toJson: (value: T) => unknown): Outcome {
  return result.ok ? { value: toJson(result.value) } : { error: result.error.code };
}

/** Reads a `YYYY-MM-DD` argument without the functions under test. */
function dateArg(args: Record<string, unknown>, key: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(args[key]));
  if (match === null) {
    throw new Error(`argument ${key} is not YYYY-MM-DD: ${String(args[key])}`);
  }
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function instantArg(args: Record<string, unknown>, key: string): Instant {
  const parsed = parseInstant(String(args[key]));
  if (!parsed.ok) {
    throw new Error(`argument ${key} is not RFC 3339: ${String(args[key])}`);
  }
  return parsed.value;
}

function scriptsArg(args: Record<string, unknown>): DigitScript[] {
  return args['accepted'] as DigitScript[];
}

function runFunction(name: string, args: Record<string, unknown>): Outcome {
  const input = String(args['input']);
  switch (name) {
    case 'nfc':
      return { value: nfc(input) };
    case 'clean_text':
      return { value: cleanText(input) };
    case 'char_count':
      return { value: charCount(input) };
    case 'ascii_digits':
      return outcomeOf(asciiDigits(input, scriptsArg(args)), (value) => value);
    case 'parse_number':
      return outcomeOf(parseNumber(input, scriptsArg(args)), (value) => value);
    case 'name_search_key':
      return { value: nameSearchKey(String(args['name'])) };
    case 'search_tokens':
      return { value: searchTokens(String(args['name'])) };

    case 'parse_date':
      return outcomeOf(parseDate(input, scriptsArg(args)), formatDate);
    case 'parse_date_in_order':
      return outcomeOf(parseDateInOrder(input, args['order'] as DateOrder, scriptsArg(args)), formatDate);
    case 'format_date':
      return { value: formatDate(dateArg(args, 'date')) };
    case 'today':
      return { value: formatDate(today(instantEpochMs(instantArg(args, 'now')), Number(args['utc_offset_minutes']))) };
    case 'in_zone':
      return { value: inZone(instantArg(args, 'instant'), Number(args['utc_offset_minutes'])) };
    case 'parse_instant':
      return outcomeOf(parseInstant(input), (value) => value);
    case 'age_years':
      return { value: ageYears(dateArg(args, 'date_of_birth'), dateArg(args, 'on')) };
    case 'estimated_date_of_birth':
      return { value: formatDate(estimatedDateOfBirth(Number(args['age_years']), dateArg(args, 'on'))) };

    case 'AgeRange.contains':
      return { value: ageRangeContains(args['range'] as AgeRange, Number(args['age'])) };
    case 'AgeRange.label':
      return { value: ageRangeLabel(args['range'] as AgeRange) };
    case 'AgeRange.date_of_birth_bounds': {
      const bounds = dateOfBirthBounds(args['range'] as AgeRange, dateArg(args, 'as_of'));
      return {
        value: {
          earliest: bounds.earliest === null ? null : formatDate(bounds.earliest),
          latest: bounds.latest === null ? null : formatDate(bounds.latest),
        },
      };
    }
    default:
      throw new Error(`unknown function ${name}`);
  }
}

/** Checks an instant by the moment and the offset it names, as the Rust runner does. */
function expectInstant(actual: unknown, expected: unknown): void {
  const expectedInstant = parseInstant(String(expected));
  if (!expectedInstant.ok) {
    throw new Error(`expected value ${String(expected)} is not RFC 3339`);
  }
  const instant = actual as Instant;
  expect(sameMoment(instant, expectedInstant.value), `${formatInstant(instant)} names another moment`).toBe(true);
  expect(instant.offsetMinutes).toBe(expectedInstant.value.offsetMinutes);
}

function describeFunctionFile(fileName: string): void {
  const file = readVectors<FunctionFile>(fileName);

  describe(fileName, () => {
    test('case names are unique', () => {
      const names = file.cases.map((vector) => vector.name);
      expect(new Set(names).size).toBe(names.length);
    });

    test.each(file.cases.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
      const outcome = runFunction(vector.function, vector.args);
      if (vector.error !== undefined) {
        expect(outcome).toEqual({ error: vector.error });
        return;
      }
      expect(outcome).not.toHaveProperty('error');
      const actual = (outcome as { value: unknown }).value;
      if (vector.function === 'parse_instant' || vector.function === 'in_zone') {
        expectInstant(actual, vector.expected);
      } else {
        expect(actual).toEqual(vector.expected);
      }
    });
  });
}

describeFunctionFile('text.json');
describeFunctionFile('dates.json');

interface ExpectedError {
  code: string;
  path?: string;
  params?: Record<string, string>;
}

interface FieldCase {
  name: string;
  field: Field;
  lookups?: Lookup[];
  locations?: Location[];
  today: string;
  accepted_digit_scripts: DigitScript[];
  input: JsonValue;
  expected?: JsonValue;
  error?: ExpectedError;
  note?: string;
}

interface RecordCase {
  name: string;
  forms: Form[];
  lookups?: Lookup[];
  locations?: Location[];
  today: string;
  accepted_digit_scripts: DigitScript[];
  form_access?: Record<string, FormAccess>;
  input_record?: JsonObject;
  current_record?: JsonObject;
  changes?: Change[];
  expected_record?: JsonObject;
  expected_errors?: ExpectedError[];
  note?: string;
}

interface ValidationFile {
  description: string;
  cases: FieldCase[];
  records: RecordCase[];
}

/** Builds a configuration around the vector's forms, like `configuration_around` in the Rust runner. */
function configurationAround(
  forms: Form[],
  vector: { lookups?: Lookup[]; locations?: Location[]; accepted_digit_scripts: DigitScript[] },
): Configuration {
  return {
    deployment: {
      config_version: 'conformance',
      name: { en: 'Conformance vectors', bn: 'Conformance vectors' },
      time_zone: 'Asia/Dhaka',
      utc_offset_minutes: 360,
      locales: ['en', 'bn'],
      accepted_digit_scripts: vector.accepted_digit_scripts,
      display_id_prefix: 'CXB',
      login: { max_failed_attempts: 5, lockout_minutes: 15, session_hours: 12, min_password_chars: 10 },
    },
    lookups: vector.lookups ?? [],
    locations: vector.locations ?? [],
    agencies: [],
    roles: [],
    forms,
  };
}

/** Writes errors the way the server sends them, with `params` left out when empty. */
function wireErrors(errors: readonly (FieldError | ExpectedError)[]): ExpectedError[] {
  return errors.map(({ code, path, params }) =>
    params === undefined || Object.keys(params).length === 0 ? { code, path } : { code, path, params },
  );
}

describe('validation.json', () => {
  const file = readVectors<ValidationFile>('validation.json');

  test('case names are unique', () => {
    const names = [...file.cases, ...file.records].map((vector) => vector.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(file.cases.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const form: Form = { id: 'vector_form', name: {}, order: 1, fields: [vector.field] };
    const validator = new Validator(configurationAround([form], vector), dateArg({ today: vector.today }, 'today'));
    const outcome = validator.validateUpdate({}, [{ path: vector.field.id, value: vector.input }], () => 'read_write');

    if (vector.error !== undefined) {
      const expected = { ...vector.error, path: vector.error.path ?? vector.field.id };
      expect(outcome.ok ? outcome.value.data : wireErrors(outcome.error)).toEqual(wireErrors([expected]));
      return;
    }
    expect(outcome.ok ? (outcome.value.data[vector.field.id] ?? null) : wireErrors(outcome.error)).toEqual(
      vector.expected,
    );
  });

  test.each(file.records.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const validator = new Validator(configurationAround(vector.forms, vector), dateArg({ today: vector.today }, 'today'));
    const access = (formId: string): FormAccess => vector.form_access?.[formId] ?? 'read_write';
    const outcome =
      vector.changes !== undefined
        ? validator.validateUpdate(vector.current_record ?? {}, vector.changes, access)
        : validator.validateNew(vector.input_record ?? {}, access);

    const actual = outcome.ok ? { record: outcome.value.data } : { errors: wireErrors(outcome.error) };
    const expected =
      vector.expected_errors !== undefined
        ? { errors: wireErrors(vector.expected_errors) }
        : { record: vector.expected_record };
    expect(actual).toEqual(expected);
  });
});

interface DueCase {
  name: string;
  status: CaseStatus;
  rules?: Partial<WorkflowRules>;
  data: Record<string, unknown>;
  expected: DueItem[];
  stage: string;
  note?: string;
}

interface BucketCase {
  name: string;
  due_on: string;
  now: string;
  utc_offset_minutes: number;
  today: string;
  expected: Bucket;
  note?: string;
}

interface DueDatesFile {
  description: string;
  cases: DueCase[];
  buckets: BucketCase[];
}

describe('due_dates.json', () => {
  const file = readVectors<DueDatesFile>('due_dates.json');

  test('case names are unique', () => {
    const names = [...file.cases, ...file.buckets].map((vector) => vector.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(file.cases.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const items = dueItems(vector.data, vector.status, workflowRules(vector.rules));
    expect(items).toEqual(vector.expected);
    expect(stageOf(vector.data, vector.status)).toBe(vector.stage);
  });

  test.each(file.buckets.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const day = today(instantEpochMs(instantArg({ now: vector.now }, 'now')), vector.utc_offset_minutes);
    expect(formatDate(day)).toBe(vector.today);
    expect(bucket(dateArg({ due_on: vector.due_on }, 'due_on'), day)).toBe(vector.expected);
  });
});
