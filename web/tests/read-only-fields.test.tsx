// Read-only fields (dates written by approvals and reopening, and any field marked `read_only` in
// config/forms): the form shows them as text with no input and no "Today" button, and saving a
// form never queues a change to them.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, test, vi } from 'vitest';

import { FieldInput } from '../src/components/FieldInput';
import type { Field } from '../src/domain/config';
import { formatDate, label, locale, t } from '../src/i18n';
import type { UserView } from '../src/model';
import { CaseForm, changesFor } from '../src/screens/CaseForm';
import { session } from '../src/session';
import { clearLocalState, createCaseLocally, loadLocalCases } from '../src/sync';
import { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

vi.setConfig({ testTimeout: 30_000 });

const config = loadConfiguration();

const ME: UserView = { id: 'u-rahima', username: 'cw.rahima', full_name: 'Rahima Akter', agency_id: 'bcri', role_id: 'caseworker', locale: 'en', disabled: false };

/** Every field a person must not edit, except calculated and system fields, which have their own display. */
function readOnlyFields(): { formId: string; field: Field }[] {
  return config.forms.flatMap((form) =>
    form.fields
      .filter((field) => field.read_only === true && field.type !== 'calculated' && field.type !== 'system')
      .map((field) => ({ formId: form.id, field })),
  );
}

/** Returns a value of the field's type, as the server would have written it. */
function sampleValue(field: Field): string {
  return field.type === 'date' ? '2027-01-05' : 'Family moved back to the camp';
}

afterEach(() => {
  cleanup();
  session.value?.vault.close?.();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('read-only fields', () => {
  test('configuration marks the approval and reopening fields', () => {
    const ids = readOnlyFields().map(({ field }) => field.id);
    for (const id of ['case_plan_approved_on', 'assessment_approved_on', 'closure_approved_on', 'reopened_on', 'reopen_reason']) {
      expect(ids).toContain(id);
    }
  });

  for (const code of ['en', 'bn'] as const) {
    test(`shown as text without input in ${code}`, () => {
      locale.value = code;
      for (const { formId, field } of readOnlyFields()) {
        const where = `${formId}: ${field.id}`;
        const value = sampleValue(field);
        const { container, unmount } = render(
          <FieldInput field={field} value={value} onChange={() => undefined} config={config} path={field.id} errors={new Map()} />,
        );
        const box = within(container as HTMLElement);
        expect(container.querySelector('input, textarea, select'), where).toBeNull();
        expect(box.queryByRole('button'), where).toBeNull();
        const shown = box.getByTestId('read-only-value');
        expect(shown.textContent, where).toBe(field.type === 'date' ? formatDate(value) : value);
        // The label still names the value for screen readers.
        expect(box.getByLabelText(new RegExp(`^${label(field.label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)).id, where).toBe(shown.id);
        unmount();
      }
    });
  }

  test('empty read-only field says not set', () => {
    locale.value = 'en';
    const field = readOnlyFields().find(({ field }) => field.id === 'reopened_on')!.field;
    render(<FieldInput field={field} value={undefined} onChange={() => undefined} config={config} path={field.id} errors={new Map()} />);
    expect(screen.getByTestId('read-only-value').textContent).toBe(t('field-not-set'));
  });

  test('changes skip read-only fields', () => {
    const closure = config.forms.find((form) => form.id === 'closure')!;
    const before = { closure_reason: 'reunified', reopened_on: '2027-01-05' };
    const after = { closure_reason: 'turned_18', reopened_on: '2027-02-01', reopen_reason: 'typed', closure_approved_on: '2027-02-01' };
    expect(changesFor([closure], before, after)).toEqual([{ path: 'closure_reason', value: 'turned_18' }]);
  });

  test('closure form queues no change to them', async () => {
    locale.value = 'en';
    vi.useFakeTimers({ now: Date.parse('2027-02-01T06:00:00Z'), toFake: ['Date'] });
    const vault = await Vault.unlock('cw.read-only-form', 'correct horse battery', true);
    session.value = { user: ME, vault, configuration: config, configVersion: 1, serverSession: true };
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await loadLocalCases();
    const caseId = '01900000-0000-7000-8000-0000000000c1';
    await createCaseLocally(caseId, {
      name_first: 'Sayra',
      registration_date: '2026-12-01',
      closure_reason: 'reunified',
      closure_approved_on: '2026-12-20',
      reopened_on: '2027-01-05',
      reopen_reason: 'Family moved back to the camp',
    });

    render(<CaseForm mode="edit" id={caseId} form="closure" />);
    const form = await screen.findByRole('form');
    vi.useRealTimers();

    for (const id of ['closure_approved_on', 'reopened_on', 'reopen_reason']) {
      const field = form.querySelector(`[data-field="${id}"]`)!;
      expect(field, id).not.toBeNull();
      expect(field.querySelector('input, textarea, select'), id).toBeNull();
      expect(within(field as HTMLElement).queryByRole('button', { name: t('field-today') }), id).toBeNull();
    }
    expect(form.querySelector('[data-field="reopened_on"] output')!.textContent).toBe(formatDate('2027-01-05'));
    expect(form.querySelector('[data-field="reopen_reason"] output')!.textContent).toBe('Family moved back to the camp');

    // An editable field of the same form still saves, and only it is queued.
    fireEvent.change(form.querySelector('[data-field="closure_reason"] select')!, { target: { value: 'turned_18' } });
    fireEvent.submit(form);
    await waitFor(async () => expect((await vault.outbox()).length).toBe(2));
    const update = (await vault.outbox<{ kind: string; changes: { path: string }[] }>())[1];
    expect(update.kind).toBe('update');
    expect(update.changes.map((change) => change.path)).toEqual(['closure_reason']);
  });
});
