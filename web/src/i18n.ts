// Messages a person reads, from the same Fluent files the server uses (locales/*/web.ftl and
// sathi.ftl). Bangla shows Bengali digits, except in `verbatim` arguments such as case ids; stored
// values never pass through here.

import { FluentBundle, FluentResource, type FluentVariable, type Message } from '@fluent/bundle';
import { signal } from '@preact/signals';
import enWeb from '../../locales/en/web.ftl?raw';
import enServer from '../../locales/en/sathi.ftl?raw';
import bnWeb from '../../locales/bn/web.ftl?raw';
import bnServer from '../../locales/bn/sathi.ftl?raw';

export type Locale = 'en' | 'bn';

/** Locales the client ships, in the order the language picker shows them. */
export const LOCALES: { code: Locale; name: string; intl: string }[] = [
  { code: 'bn', name: 'বাংলা', intl: 'bn-BD' },
  { code: 'en', name: 'English', intl: 'en-GB' },
];

const SOURCES: Record<Locale, string[]> = {
  en: [enWeb, enServer],
  bn: [bnWeb, bnServer],
};

function makeBundle(locale: Locale): FluentBundle {
  const bundle = new FluentBundle(locale, { useIsolating: false });
  for (const source of SOURCES[locale]) {
    const errors = bundle.addResource(new FluentResource(source));
    if (errors.length > 0) throw new Error(`locales/${locale} has invalid messages: ${errors[0].message}`);
  }
  return bundle;
}

const bundles: Record<Locale, FluentBundle> = { en: makeBundle('en'), bn: makeBundle('bn') };

export const locale = signal<Locale>(initialLocale());

function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('sathi.locale') : null;
  if (saved === 'en' || saved === 'bn') return saved;
  // A new device follows the browser: Bangla unless the browser prefers English.
  const browser = typeof navigator !== 'undefined' ? navigator.language.toLowerCase() : 'bn';
  return browser.startsWith('en') ? 'en' : 'bn';
}

export function setLocale(next: Locale): void {
  locale.value = next;
  localStorage.setItem('sathi.locale', next);
  document.documentElement.lang = next;
}

export function intlLocale(code: Locale = locale.value): string {
  return LOCALES.find((entry) => entry.code === code)?.intl ?? 'en-GB';
}

/** An argument of `t` shown exactly as given, such as a case id (CXB-7K2MQA) or a message the
 * server already wrote in the reader's language, whose digits must not change script. */
export class Verbatim {
  constructor(readonly text: string) {}
}

export function verbatim(text: string): Verbatim {
  return new Verbatim(text);
}

type MessageArgs = Record<string, string | number | Verbatim>;

/** Formats message `id`; digits in `args` are shown in the reader's script, except in
 * `verbatim` arguments. */
export function t(id: string, args: MessageArgs = {}): string {
  const current = locale.value;
  for (const code of [current, 'en'] as Locale[]) {
    const message = bundles[code].getMessage(id);
    if (!message?.value) continue;
    return format(code, message.value, args, []);
  }
  return id;
}

/** Formats message `id` like `t`, or returns null when the current locale lacks it or an
 * argument it needs is missing, so a caller can fall back to another message. */
export function tryT(id: string, args: MessageArgs = {}): string | null {
  const code = locale.value;
  const message = bundles[code].getMessage(id);
  if (!message?.value) return null;
  const errors: Error[] = [];
  const text = format(code, message.value, args, errors);
  return errors.length > 0 ? null : text;
}

/** First code point of the placeholders that replace `verbatim` arguments while the digits of
 * the rest change script. The Unicode Private Use Area contains no digits and no standard text. */
const PLACEHOLDER_BASE = 0xe000;

type Pattern = NonNullable<Message['value']>;

function format(code: Locale, pattern: Pattern, args: MessageArgs, errors: Error[]): string {
  const fluentArgs: Record<string, FluentVariable> = {};
  const kept: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    if (value instanceof Verbatim) {
      fluentArgs[name] = String.fromCharCode(PLACEHOLDER_BASE + kept.length);
      kept.push(value.text);
    } else {
      fluentArgs[name] = typeof value === 'number' ? value : localizeDigits(value, code);
    }
  }
  const text = localizeDigits(bundles[code].formatPattern(pattern, fluentArgs, errors), code);
  if (kept.length === 0) return text;
  return text.replace(/[\ue000-\uf8ff]/g, (placeholder) => kept[placeholder.charCodeAt(0) - PLACEHOLDER_BASE] ?? placeholder);
}

/** Returns whether `id` exists in `code`, for the completeness test. */
export function hasMessage(code: Locale, id: string): boolean {
  return bundles[code].hasMessage(id);
}

export function messageIds(code: Locale): string[] {
  const ids: string[] = [];
  for (const source of SOURCES[code]) {
    for (const match of source.matchAll(/^([a-z][a-z0-9_-]*) =/gm)) ids.push(match[1]);
  }
  return ids;
}

export function toBengaliDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0x09e6 + Number(digit)));
}

/** Shows the digits of a number or date the way readers of `code` expect. */
export function localizeDigits(text: string, code: Locale = locale.value): string {
  return code === 'bn' ? toBengaliDigits(text) : text;
}

/** Returns a text of the configuration (`{"en": "...", "bn": "..."}`) in the current locale. */
export function label(text: Record<string, string> | undefined): string {
  if (!text) return '';
  return text[locale.value] ?? text.en ?? Object.values(text)[0] ?? '';
}

/** Formats a calendar date `YYYY-MM-DD` in the reader's language, e.g. ১৫ জুন ২০১৭. */
export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '';
  const [year, month, day] = iso.split('-').map(Number);
  if (!year || !month || !day) return iso;
  // Built at UTC noon and formatted in UTC, so no time zone can move the calendar day.
  const date = new Date(Date.UTC(year, month - 1, day, 12));
  return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Formats an instant in the deployment's zone, e.g. for "last sync". */
export function formatInstant(instantMs: number, utcOffsetMinutes: number): string {
  const shifted = new Date(instantMs + utcOffsetMinutes * 60_000);
  return new Intl.DateTimeFormat(intlLocale(), {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(shifted);
}
