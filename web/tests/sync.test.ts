// Field-path changes: `applyChanges` (src/sync.ts) replays them on record data when pending
// changes are rebased onto a downloaded case, and `changesFor` (screens/CaseForm.tsx) derives
// them from a form edit. Paths are `field`, `subform/<row id>` and `subform/<row id>/<field>`.

import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';

import type { Form } from '../src/domain/config';
import type { JsonObject } from '../src/domain/validation';
import { changesFor } from '../src/screens/CaseForm';
import { applyChanges } from '../src/sync';

const ROW_A = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const ROW_B = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
const ROW_NEW = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d';

function sampleData(): Record<string, unknown> {
  return {
    name_first: 'রহিমা',
    sex: 'female',
    family: [
      { unique_id: ROW_A, name: 'আমিনা', relation: 'mother' },
      { unique_id: ROW_B, name: 'করিম', relation: 'father', alive: true },
    ],
  };
}

describe('applyChanges', () => {
  test('sets a top-level field', () => {
    const next = applyChanges(sampleData(), [{ path: 'name_last', value: 'আক্তার' }]);
    expect(next.name_last).toBe('আক্তার');
    expect(next.name_first).toBe('রহিমা');
  });

  test('replaces a top-level field', () => {
    expect(applyChanges(sampleData(), [{ path: 'sex', value: 'male' }]).sex).toBe('male');
  });

  test('clears a top-level field', () => {
    const next = applyChanges(sampleData(), [{ path: 'sex', value: null }]);
    expect('sex' in next).toBe(false);
  });

  test('leaves its input unchanged', () => {
    const data = sampleData();
    applyChanges(data, [
      { path: 'sex', value: null },
      { path: `family/${ROW_A}/name`, value: 'X' },
      { path: `family/${ROW_B}`, value: null },
    ]);
    expect(data).toEqual(sampleData());
  });

  test('adds a row', () => {
    const next = applyChanges(sampleData(), [{ path: `family/${ROW_NEW}`, value: { name: 'নূর', relation: 'sibling' } }]);
    expect(next.family).toEqual([...(sampleData().family as unknown[]), { unique_id: ROW_NEW, name: 'নূর', relation: 'sibling' }]);
  });

  test('adds the first row of a subform', () => {
    const next = applyChanges({ name_first: 'রহিমা' }, [{ path: `family/${ROW_NEW}`, value: { name: 'নূর' } }]);
    expect(next.family).toEqual([{ unique_id: ROW_NEW, name: 'নূর' }]);
  });

  test('replaces a row in place', () => {
    const next = applyChanges(sampleData(), [{ path: `family/${ROW_A}`, value: { name: 'আমিনা বেগম' } }]);
    const rows = next.family as JsonObject[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ unique_id: ROW_A, name: 'আমিনা বেগম' });
    expect(rows[1].unique_id).toBe(ROW_B);
  });

  test('row id comes from the path', () => {
    const next = applyChanges(sampleData(), [{ path: `family/${ROW_A}`, value: { unique_id: ROW_B, name: 'X' } }]);
    expect((next.family as JsonObject[]).map((row) => row.unique_id)).toEqual([ROW_A, ROW_B]);
  });

  test('removes a row', () => {
    const next = applyChanges(sampleData(), [{ path: `family/${ROW_A}`, value: null }]);
    expect(next.family).toEqual([{ unique_id: ROW_B, name: 'করিম', relation: 'father', alive: true }]);
  });

  test('sets a row field', () => {
    const next = applyChanges(sampleData(), [{ path: `family/${ROW_B}/relation`, value: 'uncle' }]);
    const rows = next.family as JsonObject[];
    expect(rows[1]).toEqual({ unique_id: ROW_B, name: 'করিম', relation: 'uncle', alive: true });
    expect(rows[0]).toEqual((sampleData().family as JsonObject[])[0]);
  });

  test('clears a row field', () => {
    const next = applyChanges(sampleData(), [{ path: `family/${ROW_B}/alive`, value: null }]);
    expect((next.family as JsonObject[])[1]).toEqual({ unique_id: ROW_B, name: 'করিম', relation: 'father' });
  });

  test('ignores an unknown row', () => {
    const unknownRow = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4fff';
    expect(applyChanges(sampleData(), [{ path: `family/${unknownRow}/name`, value: 'X' }])).toEqual(sampleData());
    expect(applyChanges(sampleData(), [{ path: `family/${unknownRow}`, value: null }])).toEqual(sampleData());
  });

  test('ignores a row of an absent subform', () => {
    // No empty list appears where the record had no rows at all.
    const data = { name_first: 'রহিমা' };
    expect(applyChanges(data, [{ path: `family/${ROW_A}/name`, value: 'X' }])).toEqual(data);
    expect(applyChanges(data, [{ path: `family/${ROW_A}`, value: null }])).toEqual(data);
  });

  test('applies changes in order', () => {
    const next = applyChanges(sampleData(), [
      { path: `family/${ROW_NEW}`, value: { name: 'নূর' } },
      { path: `family/${ROW_NEW}/relation`, value: 'sibling' },
      { path: 'sex', value: null },
      { path: 'sex', value: 'male' },
    ]);
    expect((next.family as JsonObject[])[2]).toEqual({ unique_id: ROW_NEW, name: 'নূর', relation: 'sibling' });
    expect(next.sex).toBe('male');
  });
});

const text = (id: string) => ({ id, label: { en: id, bn: id } });

const FORM: Form = {
  id: 'family_details',
  name: { en: 'Family', bn: 'পরিবার' },
  order: 40,
  fields: [
    { ...text('heading'), type: 'separator' },
    { ...text('name_first'), type: 'text' },
    { ...text('sex'), type: 'select', lookup: 'sex' },
    { ...text('concerns'), type: 'multi_select', lookup: 'protection_concern' },
    { ...text('age'), type: 'calculated', calculation: { kind: 'age_years', from: 'date_of_birth' } },
    { ...text('display_id'), type: 'system', source: 'display_id', read_only: true },
    {
      ...text('family'),
      type: 'subform',
      fields: [
        { ...text('name'), type: 'text' },
        { ...text('relation'), type: 'select', lookup: 'relationship' },
        { ...text('alive'), type: 'tick_box' },
      ],
    },
  ],
};

describe('changesFor', () => {
  test('unchanged data gives nothing', () => {
    expect(changesFor([FORM], sampleData() as JsonObject, sampleData() as JsonObject)).toEqual([]);
  });

  test('reordered keys give nothing', () => {
    const before = sampleData() as JsonObject;
    const after = { family: before.family, sex: before.sex, name_first: before.name_first } as JsonObject;
    expect(changesFor([FORM], before, after)).toEqual([]);
  });

  test('changed top-level field', () => {
    const after = { ...sampleData(), sex: 'male' } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: 'sex', value: 'male' }]);
  });

  test('emptied field is cleared', () => {
    const after = { ...sampleData(), name_first: '' } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: 'name_first', value: null }]);
  });

  test('removed field is cleared', () => {
    const after = sampleData() as JsonObject;
    delete after.sex;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: 'sex', value: null }]);
  });

  test('new list value', () => {
    const after = { ...sampleData(), concerns: ['child_labour'] } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: 'concerns', value: ['child_labour'] }]);
  });

  test('changed row field', () => {
    const after = sampleData() as JsonObject;
    after.family = [(after.family as JsonObject[])[0], { ...(after.family as JsonObject[])[1], relation: 'uncle' }];
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: `family/${ROW_B}/relation`, value: 'uncle' }]);
  });

  test('cleared row field', () => {
    const after = sampleData() as JsonObject;
    const { alive, ...rest } = (after.family as JsonObject[])[1];
    void alive;
    after.family = [(after.family as JsonObject[])[0], rest];
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: `family/${ROW_B}/alive`, value: null }]);
  });

  test('new row', () => {
    const row = { unique_id: ROW_NEW, name: 'নূর', relation: 'sibling' };
    const after = { ...sampleData(), family: [...(sampleData().family as JsonObject[]), row] } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: `family/${ROW_NEW}`, value: row }]);
  });

  test('removed row', () => {
    const after = { ...sampleData(), family: [(sampleData().family as JsonObject[])[1]] } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([{ path: `family/${ROW_A}`, value: null }]);
  });

  test('reordered rows give nothing', () => {
    const rows = sampleData().family as JsonObject[];
    const after = { ...sampleData(), family: [rows[1], rows[0]] } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([]);
  });

  test('skips read-only and computed fields', () => {
    const after = { ...sampleData(), heading: 'x', age: 9, display_id: 'CP-1' } as JsonObject;
    expect(changesFor([FORM], sampleData() as JsonObject, after)).toEqual([]);
  });

  test('replays to the edited data', () => {
    const before = sampleData() as JsonObject;
    const rows = before.family as JsonObject[];
    const after: JsonObject = {
      name_first: 'রহিমা',
      sex: 'male',
      concerns: ['child_labour'],
      family: [{ ...rows[1], relation: 'uncle' }, { unique_id: ROW_NEW, name: 'নূর' }],
    };
    const changes = changesFor([FORM], before, after);
    const replayed = applyChanges(before, changes) as JsonObject;
    expect(replayed.sex).toBe('male');
    expect(replayed.concerns).toEqual(['child_labour']);
    expect(replayed.family).toEqual([{ ...rows[1], relation: 'uncle' }, { unique_id: ROW_NEW, name: 'নূর' }]);
  });
});
