/// <reference types="node" />
// Screens rendered with the deployment's real configuration under config/: the case list's
// search, risk filter and risk badge, and a FieldInput for every field of every form.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { FieldInput } from '../src/components/FieldInput';
import type { Configuration, Field, Form } from '../src/domain/config';
import { label, locale } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { CaseList } from '../src/screens/CaseList';
import { route } from '../src/router';
import { session } from '../src/session';
import { cases } from '../src/sync';
import type { Vault } from '../src/vault/store';

const configDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'config');

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(configDir, name), 'utf8')) as T;
}

/** Assembles the configuration as crates/sathi-domain/src/config_files.rs does, with forms sorted by `order`. */
function loadConfiguration(): Configuration {
  const forms = readdirSync(join(configDir, 'forms'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => readJson<Form>(join('forms', name)))
    .sort((a, b) => a.order - b.order);
  return {
    deployment: readJson('deployment.json'),
    lookups: readJson('lookups.json'),
    locations: readJson('locations.json'),
    agencies: readJson('agencies.json'),
    roles: readJson('roles.json'),
    forms,
  };
}

const config = loadConfiguration();

const USER: UserView = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  username: 'cw.rahima',
  full_name: 'Rahima Akter',
  agency_id: 'bcri',
  role_id: 'caseworker',
  locale: 'bn',
  disabled: false,
};

function makeCase(id: string, data: Record<string, unknown>, overrides: Partial<LocalCase> = {}): LocalCase {
  return {
    id,
    display_id: `CXB-${id.toUpperCase().padEnd(6, '7')}`,
    version: 1,
    status: 'open',
    stage: 'assessment',
    enabled: true,
    owner_id: USER.id,
    owner_agency_id: USER.agency_id,
    created_by: USER.id,
    created_at: '2026-01-10T04:00:00Z',
    updated_at: `2026-01-1${id.length % 10}T04:00:00Z`,
    data,
    calculated: {},
    pending: 0,
    ...overrides,
  };
}

// আয়েশা with য় as the single code point U+09DF, and as য U+09AF plus nukta U+09BC.
const AYESHA_PRECOMPOSED = 'আ\u09DFেশা';
const AYESHA_DECOMPOSED = 'আ\u09AF\u09BCেশা';

beforeEach(() => {
  locale.value = 'bn';
  session.value = {
    user: USER,
    // The case list never touches the vault.
    vault: null as unknown as Vault,
    configuration: config,
    configVersion: 1,
    serverSession: false,
  };
});

afterEach(() => {
  cleanup();
  session.value = null;
  cases.value = [];
  // A filter chosen in one test changes the route and the address; the next starts on the plain list.
  location.hash = '';
  route.value = { name: 'cases' };
});

function shownNames(): string[] {
  const list = screen.queryByTestId('case-list');
  if (!list) return [];
  return [...list.querySelectorAll('li .name')].map((element) => element.textContent ?? '');
}

function search(text: string): void {
  fireEvent.input(screen.getByLabelText('নাম বা কেস আইডি দিয়ে খুঁজুন'), { target: { value: text } });
}

describe('CaseList', () => {
  beforeEach(() => {
    cases.value = [
      makeCase('a', { name_first: AYESHA_PRECOMPOSED, name_last: 'বেগম', risk_level: 'high', sex: 'female' }),
      makeCase('bb', { name_first: 'করিম', risk_level: 'medium', sex: 'male' }),
      makeCase('ccc', { name_first: 'নূর', name_other_spellings: 'Noor Nur', risk_level: 'low' }),
      makeCase('dddd', { name_first: 'সালমা' }),
      makeCase('eeeee', { name_first: 'হাসান', risk_level: 'high' }, { status: 'closed' }),
    ];
  });

  test('shows open cases by default', () => {
    render(<CaseList />);
    expect(shownNames().sort()).toEqual([`${AYESHA_PRECOMPOSED} বেগম`, 'করিম', 'নূর', 'সালমা'].sort());
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('৪টি কেস');
  });

  test('search finds য় typed decomposed', () => {
    render(<CaseList />);
    search(AYESHA_DECOMPOSED);
    expect(shownNames()).toEqual([`${AYESHA_PRECOMPOSED} বেগম`]);
  });

  test('search finds য় typed precomposed', () => {
    cases.value = [makeCase('a', { name_first: AYESHA_DECOMPOSED }), makeCase('bb', { name_first: 'করিম' })];
    render(<CaseList />);
    search(AYESHA_PRECOMPOSED);
    expect(shownNames()).toEqual([AYESHA_DECOMPOSED]);
  });

  test('search matches word prefixes', () => {
    render(<CaseList />);
    search('বে');
    expect(shownNames()).toEqual([`${AYESHA_PRECOMPOSED} বেগম`]);
    search('noo');
    expect(shownNames()).toEqual(['নূর']);
  });

  test('search by display id', () => {
    // Display ids look like CXB-7K2MQA; the case with id `bb` has CXB-BB7777.
    render(<CaseList />);
    search('CXB-BB7777');
    expect(shownNames()).toEqual(['করিম']);
    search('cxb-bb7');
    expect(shownNames()).toEqual(['করিম']);
    search('bb77');
    expect(shownNames()).toEqual(['করিম']);
  });

  test('search without a match', () => {
    render(<CaseList />);
    search('জাহিদ');
    expect(shownNames()).toEqual([]);
    expect(screen.getByText('কোনো কেস মেলেনি।')).toBeTruthy();
  });

  test('risk filter', () => {
    render(<CaseList />);
    fireEvent.change(screen.getByLabelText('ঝুঁকি'), { target: { value: 'high' } });
    expect(shownNames()).toEqual([`${AYESHA_PRECOMPOSED} বেগম`]);
    fireEvent.change(screen.getByLabelText('ঝুঁকি'), { target: { value: 'low' } });
    expect(shownNames()).toEqual(['নূর']);
  });

  test('risk filter with closed cases', () => {
    render(<CaseList />);
    fireEvent.change(screen.getByLabelText('ঝুঁকি'), { target: { value: 'high' } });
    fireEvent.change(screen.getByLabelText('অবস্থা'), { target: { value: 'all' } });
    expect(shownNames().sort()).toEqual([`${AYESHA_PRECOMPOSED} বেগম`, 'হাসান'].sort());
  });

  test('risk badge shows the word', () => {
    render(<CaseList />);
    const rows = [...screen.getByTestId('case-list').querySelectorAll('li')];
    const badgeOf = (name: string) => {
      const row = rows.find((element) => element.querySelector('.name')?.textContent === name)!;
      return row.querySelector('.risk')!;
    };
    expect(badgeOf(`${AYESHA_PRECOMPOSED} বেগম`).textContent).toBe('উচ্চ ঝুঁকি');
    expect(badgeOf(`${AYESHA_PRECOMPOSED} বেগম`).classList.contains('high')).toBe(true);
    expect(badgeOf('করিম').textContent).toBe('মাঝারি ঝুঁকি');
    expect(badgeOf('নূর').textContent).toBe('কম ঝুঁকি');
    expect(badgeOf('সালমা').textContent).toBe('ঝুঁকি নির্ধারিত হয়নি');
  });

  test('renders 15 rows, then 200', async () => {
    cases.value = Array.from({ length: 250 }, (_, index) => makeCase(`case-${index}`, { name_first: `শিশু ${index}` }));
    render(<CaseList />);
    expect(shownNames()).toHaveLength(15);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('২৫০টি কেস');
    await waitFor(() => expect(shownNames()).toHaveLength(200), { timeout: 3_000 });
  });

  test('flagged case shows its flag count', () => {
    const flag = (id: string) => ({ id, text: 'চাচার সাথে যোগাযোগ করবেন না', flagged_by: { id: USER.id, full_name: USER.full_name }, flagged_at: '2026-01-10T04:00:00Z' });
    cases.value = [
      makeCase('a', { name_first: 'করিম' }, { flags: [flag('f1'), flag('f2')] }),
      makeCase('bb', { name_first: 'নূর' }, { flags: [flag('f3')] }),
      makeCase('ccc', { name_first: 'সালমা' }, { flags: [] }),
      makeCase('dddd', { name_first: 'হাসান' }),
    ];
    render(<CaseList />);
    const rowOf = (name: string) => within(screen.getByTestId('case-list')).getByText(name).closest('li')!;
    expect(rowOf('করিম').querySelector('[data-testid=case-flags]')!.textContent).toBe('২টি ফ্ল্যাগ');
    expect(rowOf('নূর').querySelector('[data-testid=case-flags]')!.textContent).toBe('১টি ফ্ল্যাগ');
    expect(rowOf('সালমা').querySelector('[data-testid=case-flags]')).toBeNull();
    expect(rowOf('হাসান').querySelector('[data-testid=case-flags]')).toBeNull();
  });

  test('flag count in English', () => {
    locale.value = 'en';
    const flag = (id: string) => ({ id, text: 'Do not contact the uncle', flagged_by: { id: USER.id, full_name: USER.full_name }, flagged_at: '2026-01-10T04:00:00Z' });
    cases.value = [makeCase('a', { name_first: 'Karim' }, { flags: [flag('f1'), flag('f2')] }), makeCase('bb', { name_first: 'Nur' }, { flags: [flag('f3')] })];
    render(<CaseList />);
    const marks = [...screen.getAllByTestId('case-flags')].map((mark) => mark.textContent).sort();
    expect(marks).toEqual(['1 flag', '2 flags']);
  });

  test('shows the reopened stage in Bangla', () => {
    cases.value = [makeCase('a', { name_first: 'করিম' }, { stage: 'reopened' })];
    render(<CaseList />);
    expect(within(screen.getByTestId('case-list')).getByText('করিম').closest('li')!.textContent).toContain('আবার খোলা');
  });

  test('shows the sex and stage in Bangla', () => {
    render(<CaseList />);
    const row = within(screen.getByTestId('case-list')).getByText('করিম').closest('li')!;
    expect(row.textContent).toContain('পুরুষ');
    expect(row.textContent).toContain('মূল্যায়ন');
  });
});

/** Lists every field of every form, with subform row fields as their own entries. */
function allFields(): { form: Form; field: Field; path: string }[] {
  const entries: { form: Form; field: Field; path: string }[] = [];
  for (const form of config.forms) {
    for (const field of form.fields) {
      entries.push({ form, field, path: field.id });
      if (field.type === 'subform') {
        for (const rowField of field.fields) {
          entries.push({ form, field: rowField, path: `${field.id}/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/${rowField.id}` });
        }
      }
    }
  }
  return entries;
}

const GROUP_TYPES = new Set(['multi_select', 'radio', 'tally', 'subform']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('FieldInput', () => {
  const fields = allFields();

  test('config has every field type', () => {
    const types = new Set(fields.map(({ field }) => field.type));
    // The loop below is only as good as the forms: these types must be among them.
    for (const type of ['text', 'textarea', 'number', 'date', 'date_time', 'select', 'multi_select', 'radio', 'tick_box', 'tally', 'subform', 'separator', 'location', 'calculated', 'system', 'photo']) {
      expect(types).toContain(type);
    }
  });

  for (const code of ['bn', 'en'] as const) {
    test(`renders a labelled control for each field in ${code}`, () => {
      locale.value = code;
      for (const { form, field, path } of fields) {
        const where = `${form.id}: ${path} (${field.type})`;
        const text = label(field.label);
        expect(text, where).not.toBe('');

        const { container, unmount } = render(
          <FieldInput field={field} value={undefined} onChange={() => undefined} config={config} path={path} errors={new Map()} />,
        );
        expect(container.textContent, where).toContain(text);

        const name = new RegExp(`^${escapeRegExp(text)}`);
        if (field.type === 'separator') {
          expect(within(container as HTMLElement).getByRole('heading', { name }), where).toBeTruthy();
        } else if (GROUP_TYPES.has(field.type)) {
          expect(within(container as HTMLElement).getByRole('group', { name }), where).toBeTruthy();
        } else {
          const controls = within(container as HTMLElement).getAllByLabelText(name);
          const id = `f-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
          expect(controls.map((control) => control.id), where).toContain(id);
        }
        unmount();
      }
    });
  }

  test('shows an error under its field', () => {
    const field = config.forms[0].fields.find((entry) => entry.id === 'name_first')!;
    render(
      <FieldInput field={field} value="" onChange={() => undefined} config={config} path="name_first" errors={new Map([['name_first', 'ভুল']])} />,
    );
    const input = screen.getByLabelText(/^নামের প্রথম অংশ/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('ভুল');
    expect(input.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
  });
});
