// Text rules for values people type: Unicode NFC, trimming, length in characters, digit scripts,
// plain decimal numbers, and the search key that finds a child's name however it was spelled.
//
// A port of `crates/sathi-domain/src/text.rs`. Both sides run `conformance/text.json`, so a
// change here needs the same change there. Stored text is NFC and otherwise exactly what was
// typed, emoji included. Burmese text in the legacy Zawgyi encoding is not detected here.

import type { DigitScript } from './config';

/** A value or the error that explains why there is none. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/**
 * Returns `input` in Unicode Normalization Form C.
 *
 * U+09DF (য়) is a composition exclusion, so its NFC form is the two code points U+09AF U+09BC.
 */
export function nfc(input: string): string {
  return input.normalize('NFC');
}

// Unicode White_Space (what Rust's `char::is_whitespace` tests), plus ZWSP, word joiner and BOM.
// ZWJ and ZWNJ are kept, because a trailing ZWJ is part of the legacy khanda ta spelling ত্‍.
const TRIMMED_AT_ENDS = /^[\p{White_Space}\u200B\u2060\uFEFF]+|[\p{White_Space}\u200B\u2060\uFEFF]+$/gu;

/**
 * Normalises a typed value for storage: NFC, then removes leading and trailing whitespace
 * (including U+00A0) and the invisible characters U+200B, U+2060 and U+FEFF.
 */
export function cleanText(input: string): string {
  // U+0000 carries no text, and PostgreSQL cannot store it in text or JSON values.
  return nfc(input).replaceAll('\u0000', '').replace(TRIMMED_AT_ENDS, '');
}

/**
 * Counts the Unicode code points in `input`, the unit of every length limit.
 *
 * 👍 counts as one. A flag, a skin tone or a ZWJ sequence counts as several.
 */
export function charCount(input: string): number {
  let count = 0;
  for (const _ of input) {
    count += 1;
  }
  return count;
}

/** The script of a Unicode decimal digit, as the stable snake_case code the server uses. */
export type DigitScriptName =
  | 'ascii'
  | 'bengali'
  | 'devanagari'
  | 'arabic_indic'
  | 'extended_arabic_indic'
  | 'myanmar'
  | 'other';

/** A value whose digits cannot be converted to ASCII without guessing. */
export type DigitError =
  | { code: 'mixed_digit_scripts'; first: DigitScriptName; second: DigitScriptName }
  | { code: 'digit_script_not_accepted'; script: DigitScriptName };

/** A typed number that cannot be read. */
export type NumberError = DigitError | { code: 'invalid_number' };

// The first code point (digit zero) of every run of Unicode decimal digits (general category Nd),
// from the Unicode Character Database 15.1.0, the same table as text.rs. The table is fixed rather
// than `\p{Nd}` so that a browser with a newer Unicode version reads digits exactly as the server.
const DECIMAL_DIGIT_ZEROS: readonly number[] = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50,
  0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40,
  0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066,
  0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950,
  0x11c50, 0x11d50, 0x11da0, 0x11f50, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec,
  0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e950, 0x1fbf0,
];

const SCRIPT_OF_ZERO: ReadonlyMap<number, DigitScriptName> = new Map([
  [0x30, 'ascii'],
  [0x660, 'arabic_indic'],
  [0x6f0, 'extended_arabic_indic'],
  [0x966, 'devanagari'],
  [0x9e6, 'bengali'],
  [0x1040, 'myanmar'],
]);

/** Returns the script and value (0-9) of the code point `c` when it is a Unicode decimal digit. */
export function decimalDigit(c: string): { script: DigitScriptName; value: number } | null {
  const codePoint = c.codePointAt(0);
  if (codePoint === undefined) {
    return null;
  }
  // The table is sorted, so the only run that can contain `c` starts at the last zero at or below it.
  let zero: number | undefined;
  for (const candidate of DECIMAL_DIGIT_ZEROS) {
    if (candidate > codePoint) {
      break;
    }
    zero = candidate;
  }
  if (zero === undefined || codePoint - zero >= 10) {
    return null;
  }
  return { script: SCRIPT_OF_ZERO.get(zero) ?? 'other', value: codePoint - zero };
}

/**
 * Converts every decimal digit in `input` to ASCII and passes other characters through unchanged.
 *
 * ASCII digits are always accepted, other scripts only when listed in `accepted`. Digits are
 * checked from left to right and the first problem is returned, so `1৫` is `mixed_digit_scripts`
 * when Bengali is accepted and `1٧` is `digit_script_not_accepted` when Arabic-Indic is not.
 */
export function asciiDigits(input: string, accepted: readonly DigitScript[]): Result<string, DigitError> {
  let firstScript: DigitScriptName | null = null;
  let output = '';

  for (const c of input) {
    const digit = decimalDigit(c);
    if (digit === null) {
      output += c;
      continue;
    }

    const { script, value } = digit;
    const isAccepted = script === 'ascii' || accepted.some((allowed) => allowed === script);
    if (!isAccepted) {
      return err({ code: 'digit_script_not_accepted', script });
    }
    if (firstScript === null) {
      firstScript = script;
    } else if (firstScript !== script) {
      return err({ code: 'mixed_digit_scripts', first: firstScript, second: script });
    }

    output += String(value);
  }

  return ok(output);
}

const PLAIN_DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Parses a typed decimal number such as ` ৮ `, `-3.5` or `০.৫`.
 *
 * The value is trimmed like {@link cleanText} and its digits converted with {@link asciiDigits}.
 * What remains must be an optional `-`, digits, and optionally `.` and digits. So `+5`, `.5`,
 * `1,000`, `1e5` and `NaN` are `invalid_number`, as is a number too large for a 64-bit float.
 */
export function parseNumber(input: string, accepted: readonly DigitScript[]): Result<number, NumberError> {
  const ascii = asciiDigits(cleanText(input), accepted);
  if (!ascii.ok) {
    return ascii;
  }
  if (!PLAIN_DECIMAL.test(ascii.value)) {
    return err({ code: 'invalid_number' });
  }

  const value = Number(ascii.value);
  return Number.isFinite(value) ? ok(value) : err({ code: 'invalid_number' });
}

const LETTER_DIGIT_OR_MARK = /^[\p{Alphabetic}\p{N}\p{M}]$/u;

// Steps 3 to 6 of `nameSearchKey`, applied to one code point of canonically decomposed text.
const FOLDED_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['\u200B', ''],
  ['\u200C', ''],
  ['\u200D', ''],
  ['\u2060', ''],
  ['\uFEFF', ''],
  ['\u00AD', ''],
  ["'", ''],
  ['\u2018', ''],
  ['\u2019', ''],
  ['\u02BB', ''],
  ['\u02BC', ''],
  ['`', ''],
  ['\u00B4', ''],
  ['ß', 'ss'],
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['þ', 'th'],
  ['ø', 'o'],
  ['ł', 'l'],
  ['đ', 'd'],
  ['ð', 'd'],
  ['ı', 'i'],
  ['\u09C0', '\u09BF'],
  ['\u09C2', '\u09C1'],
  ['\u0988', '\u0987'],
  ['\u098A', '\u0989'],
]);

function foldCharacters(text: string): string {
  let output = '';
  for (const c of text.normalize('NFD')) {
    const folded = FOLDED_CHARACTERS.get(c);
    if (folded !== undefined) {
      output += folded;
      continue;
    }
    const codePoint = c.codePointAt(0) ?? 0;
    if (codePoint >= 0x300 && codePoint <= 0x36f) {
      continue;
    }
    output += LETTER_DIGIT_OR_MARK.test(c) ? c : ' ';
  }
  return output;
}

function foldWord(word: string): string {
  const stem = word.endsWith('\u09A4\u09CD') ? `${word.slice(0, -2)}\u09CE` : word;

  let output = '';
  for (const original of stem.replaceAll('ee', 'i')) {
    let c = original;
    if (c === 'e') {
      c = 'a';
    } else if (c === 'u') {
      c = 'o';
    }
    if (/^[A-Za-z]$/.test(c) && output.endsWith(c)) {
      continue;
    }
    output += c;
  }
  return output;
}

/**
 * Builds the key that finds a child's name whichever way it was typed or spelled.
 *
 * The folds and their order are those of `name_search_key` in text.rs, which explains each one.
 * In order: NFC and lowercase, legacy khanda ta to ৎ, invisible characters removed, Latin
 * diacritics removed and ß/æ/œ/ø/ł/đ/ð/þ/ı spelled out, and Bangla long vowels merged with short
 * ones. Then apostrophes are removed and other non-letters separate words. In each word a final
 * ত + virama becomes ৎ, and Latin `ee`→`i`, `e`→`a`, `u`→`o` and repeated ASCII letters collapse.
 * The words are joined by one space.
 */
export function nameSearchKey(name: string): string {
  const lowercase = nfc(name).toLowerCase();
  const khandaTa = lowercase.replaceAll('\u09A4\u09CD\u200D', '\u09CE');
  const folded = nfc(foldCharacters(khandaTa));

  return folded
    .split(/\p{White_Space}+/u)
    .filter((word) => word !== '')
    .map(foldWord)
    .join(' ');
}

/** Returns the distinct words of {@link nameSearchKey} in their first order, for prefix search. */
export function searchTokens(name: string): string[] {
  const tokens: string[] = [];
  for (const word of nameSearchKey(name).split(' ')) {
    if (word !== '' && !tokens.includes(word)) {
      tokens.push(word);
    }
  }
  return tokens;
}
