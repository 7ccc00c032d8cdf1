/// <reference types="node" />
// The client's messages (src/i18n.ts): both locales have the same message ids, every id the
// sources pass to t() exists in both, and numbers and dates read with Bengali digits in Bangla.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { formatDate, hasMessage, locale, messageIds, t, tryT, verbatim, type Locale } from '../src/i18n';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(webRoot, '..');

function read(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

/** Lists the message ids defined in one .ftl file, in file order. */
function ftlIds(path: string): string[] {
  return [...read(path).matchAll(/^([a-z][a-z0-9_-]*) =/gm)].map((match) => match[1]);
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name)) files.push(path);
  }
  return files;
}

const sources = sourceFiles(join(webRoot, 'src')).map((path) => readFileSync(path, 'utf8'));

function matchesIn(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1]);
}

/** Collects the ids the client formats: literal t('…') ids, LoginError ids, and every value of each
 * template id (`risk-${…}`, `stage-${…}`, `type-${…}`, `level-${…}`, `error-${…}`). */
function usedMessageIds(): Set<string> {
  const ids = new Set<string>();
  for (const source of sources) {
    for (const id of matchesIn(source, /\bt\('([a-z0-9_-]+)'/g)) ids.add(id);
    for (const id of matchesIn(source, /new LoginError\('([a-z0-9_-]+)'/g)) ids.add(id);
  }

  // components/RiskBadge.tsx: the options of the risk_level lookup, or `none`.
  const lookups = JSON.parse(read('config/lookups.json')) as { id: string; options: { id: string }[] }[];
  const riskLevels = lookups.find((lookup) => lookup.id === 'risk_level')!.options.map((option) => option.id);
  for (const level of [...riskLevels, 'none']) ids.add(`risk-${level}`);

  // A case's stage is the server's `Stage` enum, serialised by `Stage::as_str`.
  const stages = matchesIn(read('crates/sathi-domain/src/workflow.rs'), /Stage::\w+ => "([a-z_]+)"/g);
  for (const stage of stages) ids.add(`stage-${stage}`);

  // Dashboards and reports: panel ids, what panels count and their dimensions, as the server's
  // `GET /dashboard` names them, and the dimensions and sections of the reports.
  const panels = [
    'my_open_total', 'my_open_by_risk', 'my_open_by_stage', 'my_tasks', 'my_incoming',
    'team_open_by_owner', 'approvals_pending', 'team_overdue_by_owner', 'new_to_assign', 'team_open_by_risk',
    'open_total', 'open_by_camp', 'open_by_concern', 'open_by_sex', 'open_by_age_range', 'opened_by_month', 'closed_by_month',
    'referrals_sent_by_service', 'referrals_received_by_agency', 'days_to_assessment', 'days_to_case_plan', 'open_by_agency',
  ];
  for (const panel of panels) ids.add(`dash-panel-${panel}`);
  for (const panel of ['my_open_total', 'approvals_pending', 'new_to_assign', 'open_total']) ids.add(`dash-number-${panel}`);
  for (const counts of ['cases', 'children', 'referrals', 'tasks', 'approvals', 'days']) ids.add(`dash-counts-${counts}`);
  const dimensions = ['total', 'risk_level', 'stage', 'owner', 'camp', 'concern', 'sex', 'age_range', 'month', 'agency', 'service', 'bucket', 'kind'];
  for (const dimension of dimensions) ids.add(`dash-dimension-${dimension}`);
  for (const key of ['overdue', 'today', 'week', 'referrals', 'transfers', 'median', 'p90', 'cases']) ids.add(`dash-key-${key}`);
  const reportDimensions = ['camp', 'concern', 'sex', 'age_range', 'agency', 'month', 'risk_level', 'stage', 'status', 'service', 'to_agency', 'from_agency'];
  for (const dimension of reportDimensions) ids.add(`report-dimension-${dimension}`);
  const sections = ['registered_by_camp_sex', 'registered_by_age_sex', 'registered_by_concern_sex', 'open_at_month_end_by_risk_sex', 'closed_by_camp', 'referrals_by_service_agency'];
  for (const section of sections) ids.add(`report-section-${section}`);
  for (const id of ['dash-as-of', 'dash-as-of-phone', 'reports-for-sharing-always', 'reports-for-sharing-hint']) ids.add(id);

  // fieldErrors.ts: `expected` of invalid_type, `min_level` of location_too_coarse, and the code.
  const validation = read('web/src/domain/validation.ts');
  for (const expected of matchesIn(validation, /typeError\([^,()]+, '([a-z_]+)'\)/g)) ids.add(`type-${expected}`);
  const levelUnion = /export type LocationLevel = ([^;]+);/.exec(read('web/src/domain/config.ts'))![1];
  for (const level of matchesIn(levelUnion, /'([a-z_]+)'/g)) ids.add(`level-${level}`);
  const errorCodes = [
    ...matchesIn(validation, /fieldError\('([a-z_]+)'/g),
    ...matchesIn(read('web/src/domain/text.ts') + read('web/src/domain/dates.ts'), /code: '([a-z_]+)'/g),
  ];
  for (const code of errorCodes) ids.add(`error-${code}`);
  return ids;
}

afterEach(() => {
  locale.value = 'bn';
  vi.unstubAllEnvs();
});

describe('locale files', () => {
  for (const file of ['web.ftl', 'sathi.ftl']) {
    test(`${file} has the same ids in both`, () => {
      const english = ftlIds(`locales/en/${file}`);
      const bangla = ftlIds(`locales/bn/${file}`);
      expect(english.length).toBeGreaterThan(0);
      expect(english.filter((id) => !bangla.includes(id))).toEqual([]);
      expect(bangla.filter((id) => !english.includes(id))).toEqual([]);
    });
  }

  test('web.ftl Bangla differs from English', () => {
    const ARGS = { count: 3, files: 2, shown: 2, minutes: 2, age: 7, number: 1, threshold: 5, name: 'X', time: 'T', date: 'T', reason: 'R', detail: 'D', value: 'V', range: '0-5', from: 'F', to: 'T', month: 'M' };
    const same: string[] = [];
    for (const id of ftlIds('locales/en/web.ftl')) {
      locale.value = 'en';
      const english = t(id, ARGS);
      locale.value = 'bn';
      const bangla = t(id, ARGS);
      if (english === bangla) same.push(id);
    }
    expect(same).toEqual([]);
  });

  // "ডাকনাম-এর" reads badly: a field label or a person's name is never glued to the genitive
  // ending. Messages put it after a colon instead ("এই ঘরের দুটি ভিন্ন মান: ডাকনাম"). Numbers
  // may take it ("৫০০-এর মধ্যে").
  for (const file of ['web.ftl', 'sathi.ftl']) {
    test(`bn ${file} attaches no -এর to a label`, () => {
      const glued = read(`locales/bn/${file}`)
        .split('\n')
        .filter((line) => /\{\s*\$(name|field|label|detail|path|value)\s*\}\s*-?\s*এর/.test(line));
      expect(glued).toEqual([]);
    });
  }

  // A reopened case is "আবার খোলা" in the stage label, the server's messages, the closure form and
  // the user guide, so a caseworker never wonders whether "পুনরায় খোলা" is another state.
  test('bn says reopen one way', () => {
    const forms = readdirSync(join(repoRoot, 'config/forms')).map((name) => `config/forms/${name}`);
    const texts = ['locales/bn/web.ftl', 'locales/bn/sathi.ftl', 'docs/user-guide.bn.md', ...forms];
    const formal = texts.filter((path) => read(path).includes('পুনরায় খোল'));
    expect(formal).toEqual([]);
    locale.value = 'bn';
    expect(t('stage-reopened')).toBe('আবার খোলা');
  });

  test('bundles load every id of the files', () => {
    for (const code of ['en', 'bn'] as Locale[]) {
      const ids = messageIds(code);
      expect(ids.length).toBe(ftlIds(`locales/${code}/web.ftl`).length + ftlIds(`locales/${code}/sathi.ftl`).length);
      expect(ids.filter((id) => !hasMessage(code, id))).toEqual([]);
    }
  });
});

describe('ids used by the sources', () => {
  const used = usedMessageIds();

  test('include the template ids', () => {
    // Guards the regular expressions above: each template family was found.
    for (const id of ['risk-high', 'risk-none', 'stage-new', 'stage-case_plan', 'type-number', 'level-block', 'error-required', 'error-impossible_date', 'error-mixed_digit_scripts', 'cases-count', 'login-locked']) {
      expect(used).toContain(id);
    }
  });

  for (const code of ['en', 'bn'] as Locale[]) {
    test(`all exist in ${code}`, () => {
      expect([...used].filter((id) => !hasMessage(code, id))).toEqual([]);
    });
  }
});

describe('Bengali digits', () => {
  test('cases-count in Bangla', () => {
    locale.value = 'bn';
    const text = t('cases-count', { count: 12 });
    expect(text).toContain('১২');
    expect(text).not.toMatch(/[0-9]/);
  });

  test('cases-count in English', () => {
    locale.value = 'en';
    expect(t('cases-count', { count: 12 })).toContain('12');
  });

  test('string arguments get Bengali digits', () => {
    locale.value = 'bn';
    expect(t('field-row', { number: 3 })).toBe('সারি ৩');
    expect(t('sync-failed', { reason: 'HTTP 503' })).toContain('৫০৩');
  });

  test('verbatim argument keeps its digits', () => {
    locale.value = 'bn';
    expect(t('approvals-done-approve', { name: verbatim('খুরশিদা · CXB-YC488J') })).toBe('অনুমোদিত: খুরশিদা · CXB-YC488J।');
    expect(tryT('approvals-done-approve', { name: verbatim('CXB-YC488J') })).toBe('অনুমোদিত: CXB-YC488J।');
  });

  test('verbatim beside other arguments', () => {
    locale.value = 'bn';
    const text = t('review-from', { name: verbatim('cw.user42'), time: '5 Dec 08:14' });
    expect(text).toContain('cw.user42');
    expect(text).toContain('৫ Dec ০৮:১৪');
    locale.value = 'en';
    expect(t('review-from', { name: verbatim('cw.user42'), time: '5 Dec 08:14' })).toBe('From cw.user42, received 5 Dec 08:14');
  });
});

describe('ages', () => {
  const cases: [Locale, string, number, string][] = [
    ['en', 'case-age', 1, '1 year'],
    ['en', 'case-age', 0, '0 years'],
    ['en', 'case-age', 7, '7 years'],
    ['en', 'case-age-estimated', 1, 'about 1 year'],
    ['en', 'case-age-estimated', 12, 'about 12 years'],
    ['bn', 'case-age', 1, '১ বছর'],
    ['bn', 'case-age', 17, '১৭ বছর'],
    ['bn', 'case-age-estimated', 1, 'আনুমানিক ১ বছর'],
  ];
  for (const [code, id, age, expected] of cases) {
    test(`${id} of ${age} in ${code}`, () => {
      locale.value = code;
      expect(t(id, { age })).toBe(expected);
    });
  }
});

describe('formatDate', () => {
  const cases = [
    { iso: '2017-06-15', en: '15 June 2017', bnDay: '১৫', bnYear: '২০১৭' },
    { iso: '2016-02-29', en: '29 February 2016', bnDay: '২৯', bnYear: '২০১৬' },
    { iso: '2000-01-01', en: '1 January 2000', bnDay: '১', bnYear: '২০০০' },
    { iso: '2024-12-31', en: '31 December 2024', bnDay: '৩১', bnYear: '২০২৪' },
  ];
  // Zones far east and west of UTC: a date built at local midnight would move a day in one of them.
  const zones = ['UTC', 'Asia/Dhaka', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles'];

  test('zones under test differ', () => {
    const offsets = new Set<number>();
    for (const zone of zones) {
      vi.stubEnv('TZ', zone);
      offsets.add(new Date(2017, 5, 15).getTimezoneOffset());
    }
    // Node applies a changed TZ at once; otherwise the loop below would test only one zone.
    expect(offsets.size).toBe(zones.length);
  });

  for (const zone of zones) {
    test(`keeps the day in ${zone}`, () => {
      vi.stubEnv('TZ', zone);
      for (const { iso, en, bnDay, bnYear } of cases) {
        locale.value = 'en';
        expect(formatDate(iso)).toBe(en);

        locale.value = 'bn';
        const bangla = formatDate(iso);
        expect(bangla).not.toMatch(/[0-9]/);
        expect(bangla.startsWith(`${bnDay} `)).toBe(true);
        expect(bangla).toContain(bnYear);
      }
    });
  }

  test('empty and malformed input', () => {
    expect(formatDate(undefined)).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
