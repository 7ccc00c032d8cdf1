// @vitest-environment node
/// <reference types="node" />
// Unit tests of `src/domain/due.ts` for what only the TypeScript port has: defaults for a
// configuration stored without `workflow`, and due dates given as text. The rule itself is checked
// by `conformance/due_dates.json` in conformance.test.ts.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

import type { Deployment } from '../src/domain/config';
import { DEFAULT_WORKFLOW_RULES, bucket, dueItems, workflowRules } from '../src/domain/due';

describe('workflowRules', () => {
  test('defaults match deployment.json', () => {
    const url = new URL('../../config/deployment.json', import.meta.url);
    const deployment = JSON.parse(readFileSync(url, 'utf8')) as Deployment;
    expect(deployment.workflow).toEqual(DEFAULT_WORKFLOW_RULES);
  });

  test('missing workflow gives defaults', () => {
    expect(workflowRules(undefined)).toEqual(DEFAULT_WORKFLOW_RULES);
  });

  test('given keys replace defaults', () => {
    const rules = workflowRules({ case_plan_due_days: 10 });
    expect(rules.case_plan_due_days).toBe(10);
    expect(rules.assessment_due_days).toEqual(DEFAULT_WORKFLOW_RULES.assessment_due_days);
  });
});

describe('bucket', () => {
  test('accepts YYYY-MM-DD text', () => {
    expect(bucket('2026-12-31', '2027-01-01')).toBe('overdue');
    expect(bucket('2027-01-07', { year: 2027, month: 1, day: 1 })).toBe('week');
  });

  test('rejects text that is not a date', () => {
    expect(() => bucket('31/12/2026', '2027-01-01')).toThrow('due date 31/12/2026 is not YYYY-MM-DD');
    expect(() => bucket('2026-12-31', '২০২৭-০১-০১')).toThrow('is not YYYY-MM-DD');
  });
});

describe('dueItems', () => {
  test('leaves the case data unchanged', () => {
    const data = {
      registration_date: '2026-03-10',
      risk_level: 'high',
      followups: [{ unique_id: 'f', needed_by: '2026-03-12' }],
    };
    const before = JSON.stringify(data);
    dueItems(data, 'open', DEFAULT_WORKFLOW_RULES);
    expect(JSON.stringify(data)).toBe(before);
  });
});
