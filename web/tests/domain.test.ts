// @vitest-environment node
// Direct unit tests of the domain port for the cases a caseworker meets most: the same Bangla
// name typed two ways, digits in another script, and "today" around midnight in Dhaka.

import { describe, expect, test } from 'vitest';

import type { Configuration } from '../src/domain/config';
import { ageYears, formatDate, parseDate, parseInstant, today } from '../src/domain/dates';
import { charCount, cleanText, nameSearchKey, nfc, parseNumber } from '../src/domain/text';
import { Validator, calculate, parseUuid, uuidV7 } from '../src/domain/validation';

const DHAKA_OFFSET_MINUTES = 360;

function codePoints(text: string): string {
  return [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

describe('NFC of Bangla names typed two ways', () => {
  const pairs = [
    {
      label: 'YYA precomposed and YA + NUKTA',
      typed: ['\u09B8\u09BE\u09DF\u09B0\u09BE', '\u09B8\u09BE\u09AF\u09BC\u09B0\u09BE'],
      stored: 'U+09B8 U+09BE U+09AF U+09BC U+09B0 U+09BE',
    },
    {
      label: 'RRA precomposed and DDA + NUKTA',
      typed: [
        '\u09AA\u09BE\u09B0\u09AD\u09C0\u09A8 \u09AE\u09CB\u09DC\u09B2',
        '\u09AA\u09BE\u09B0\u09AD\u09C0\u09A8 \u09AE\u09CB\u09A1\u09BC\u09B2',
      ],
      stored: 'U+09AA U+09BE U+09B0 U+09AD U+09C0 U+09A8 U+0020 U+09AE U+09CB U+09A1 U+09BC U+09B2',
    },
    {
      label: 'vowel sign O in one and two code points',
      typed: ['\u09AE\u09CB\u09AE\u09BF\u09A8', '\u09AE\u09C7\u09BE\u09AE\u09BF\u09A8'],
      stored: 'U+09AE U+09CB U+09AE U+09BF U+09A8',
    },
    {
      label: 'vowel sign AU in one and two code points',
      typed: ['\u09AE\u09CC\u09B8\u09C1\u09AE\u09C0', '\u09AE\u09C7\u09D7\u09B8\u09C1\u09AE\u09C0'],
      stored: 'U+09AE U+09CC U+09B8 U+09C1 U+09AE U+09C0',
    },
  ];

  test.each(pairs)('$label', ({ typed, stored }) => {
    const [first, second] = typed as [string, string];
    expect(first).not.toBe(second);
    expect(codePoints(nfc(first))).toBe(stored);
    expect(codePoints(nfc(second))).toBe(stored);
    expect(nameSearchKey(first)).toBe(nameSearchKey(second));
  });

  test('legacy khanda ta matches in search only', () => {
    const modern = '\u0987\u09CE';
    const legacy = '\u0987\u09A4\u09CD\u200D';
    expect(nfc(legacy)).not.toBe(nfc(modern));
    expect(nameSearchKey(legacy)).toBe(nameSearchKey(modern));
  });

  test('pasted ZWNJ ignored by search', () => {
    expect(nameSearchKey('\u09B0\u09C1\u200C\u09AE\u09BE\u09A8\u09BE')).toBe(nameSearchKey('\u09B0\u09C1\u09AE\u09BE\u09A8\u09BE'));
  });

  test('note with emoji kept and counted in code points', () => {
    const note = 'মা 👍 ভালো আছেন';
    expect(cleanText(note)).toBe(note);
    expect(charCount(note)).toBe(14);
    expect(new TextEncoder().encode(note).length).toBe(37);
  });
});

describe('Bengali and Arabic-Indic digits', () => {
  test('Bengali age with spaces is 8', () => {
    expect(parseNumber(' \u09EE ', ['bengali'])).toEqual({ ok: true, value: 8 });
  });

  test('mixed digits never read as 15', () => {
    expect(parseNumber('1\u09EB', ['bengali'])).toEqual({
      ok: false,
      error: { code: 'mixed_digit_scripts', first: 'ascii', second: 'bengali' },
    });
  });

  test('Arabic-Indic digit not accepted', () => {
    expect(parseNumber('\u0667', ['bengali'])).toEqual({
      ok: false,
      error: { code: 'digit_script_not_accepted', script: 'arabic_indic' },
    });
  });

  test('thirty-first February in Bengali rejected', () => {
    expect(parseDate('\u09E8\u09E6\u09E7\u09EB-\u09E6\u09E8-\u09E9\u09E7', ['bengali'])).toEqual({
      ok: false,
      error: { code: 'impossible_date' },
    });
  });
});

describe('today in Dhaka', () => {
  const newYearInDhaka = Date.UTC(2026, 11, 31, 18, 0, 0);

  test('turns at Dhaka midnight, not UTC midnight', () => {
    expect(formatDate(today(newYearInDhaka - 1000, DHAKA_OFFSET_MINUTES))).toBe('2026-12-31');
    expect(formatDate(today(newYearInDhaka, DHAKA_OFFSET_MINUTES))).toBe('2027-01-01');
    expect(formatDate(today(newYearInDhaka, 0))).toBe('2026-12-31');
  });

  test('birthday reached just after Dhaka midnight', () => {
    const born = { year: 2017, month: 1, day: 1 };
    expect(ageYears(born, today(newYearInDhaka - 1000, DHAKA_OFFSET_MINUTES))).toBe(9);
    expect(ageYears(born, today(newYearInDhaka, DHAKA_OFFSET_MINUTES))).toBe(10);
  });

  test('matches an instant with an offset', () => {
    const instant = parseInstant('2027-01-01T00:00:00+06:00');
    expect(instant.ok && instant.value.epochSeconds * 1000).toBe(newYearInDhaka);
  });

  test('ignores the device time zone', () => {
    // The result depends only on the arguments, so setting TZ cannot change it.
    const before = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      expect(formatDate(today(newYearInDhaka, DHAKA_OFFSET_MINUTES))).toBe('2027-01-01');
    } finally {
      if (before === undefined) {
        delete process.env['TZ'];
      } else {
        process.env['TZ'] = before;
      }
    }
  });
});

describe('calculate', () => {
  const data = { date_of_birth: '2016-02-29', requested: '2024-06-01', completed: '2024-06-20' };

  test('age_years counts a 29 February birthday from 1 March', () => {
    const calculation = { kind: 'age_years', from: 'date_of_birth' } as const;
    expect(calculate(calculation, data, { year: 2025, month: 2, day: 28 })).toBe(8);
    expect(calculate(calculation, data, { year: 2025, month: 3, day: 1 })).toBe(9);
  });

  test('days_between two date fields', () => {
    const calculation = { kind: 'days_between', from: 'requested', to: 'completed' } as const;
    expect(calculate(calculation, data, { year: 2030, month: 1, day: 1 })).toBe(19);
  });

  test('days_between to today across a leap day', () => {
    const calculation = { kind: 'days_between', from: 'date_of_birth' } as const;
    expect(calculate(calculation, data, { year: 2016, month: 3, day: 1 })).toBe(1);
  });

  test('missing source gives null', () => {
    expect(calculate({ kind: 'age_years', from: 'unknown' }, data, { year: 2024, month: 6, day: 20 })).toBeNull();
  });
});

describe('subform row ids', () => {
  test('uuidV7 has version 7 and the time first', () => {
    const id = uuidV7(Date.UTC(2024, 5, 20));
    expect(parseUuid(id)).toBe(id);
    expect(id[14]).toBe('7');
    expect(id.slice(0, 13).replace('-', '')).toBe(Date.UTC(2024, 5, 20).toString(16).padStart(12, '0'));
  });

  test('row without id gets a new UUID v7', () => {
    const config: Configuration = {
      deployment: {
        config_version: 'test',
        name: { en: 'Test' },
        time_zone: 'Asia/Dhaka',
        utc_offset_minutes: DHAKA_OFFSET_MINUTES,
        locales: ['en'],
        accepted_digit_scripts: ['bengali'],
        display_id_prefix: 'CXB',
        login: { max_failed_attempts: 5, lockout_minutes: 15, session_hours: 12, min_password_chars: 10 },
      },
      lookups: [],
      locations: [],
      agencies: [],
      roles: [],
      forms: [
        {
          id: 'notes',
          name: { en: 'Notes' },
          order: 1,
          fields: [
            {
              id: 'notes',
              label: { en: 'Notes' },
              type: 'subform',
              fields: [{ id: 'text', label: { en: 'Text' }, type: 'textarea' }],
            },
          ],
        },
      ],
    };
    const validator = new Validator(config, { year: 2024, month: 6, day: 20 });
    const outcome = validator.validateNew({ notes: [{ text: ' ভালো আছে ' }] }, () => 'read_write');

    expect(outcome.ok).toBe(true);
    const rows = outcome.ok ? (outcome.value.data['notes'] as { unique_id: string; text: string }[]) : [];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.unique_id[14]).toBe('7');
    expect(rows[0]!.text).toBe('ভালো আছে');
  });
});
