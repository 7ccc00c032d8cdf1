// Approvals in the client: the supervisor's queue (screens/Approvals.tsx) deciding at the version
// seen, a rejection that needs a comment, a decision that lost the race; and on the case
// (components/ApprovalRequest.tsx) which requests are offered and that a request is queued.

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { pendingApprovals, queuedActions, serverTasks, type ApprovalView, type QueuedAction } from '../src/actions';
import { ApprovalRequest, approvalReady, waitingKinds } from '../src/components/ApprovalRequest';
import { FlagList } from '../src/components/FlagList';
import { locale, t } from '../src/i18n';
import type { LocalCase, UserView } from '../src/model';
import { Approvals } from '../src/screens/Approvals';
import { session } from '../src/session';
import { clearLocalState, syncState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const SUPERVISOR: UserView = { id: 'u-karim', username: 'sup.karim', full_name: 'Karim Hossain', agency_id: 'bcri', role_id: 'supervisor', locale: 'en', disabled: false };
const CASE_ID = '3f0c9d2e-0001-4c1a-9a11-000000001001';

function approval(id: string, changes: Partial<ApprovalView> = {}): ApprovalView {
  return {
    id,
    case_id: CASE_ID,
    display_id: 'CXB-000001',
    kind: 'case_plan',
    status: 'pending',
    version: 3,
    requested_by: { id: 'u-rahima', full_name: 'Rahima Akter' },
    requested_at: '2027-01-01T04:00:00Z',
    request_comment: 'Plan agreed with the mother',
    ...changes,
  };
}

interface Call {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

/** Routes fetch: decisions answer `answer`, case reads return nothing. */
function serve(answer: (path: string, body: Record<string, unknown>) => Response): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    calls.push({ method: init.method ?? 'GET', path: String(input), body });
    if (String(input).startsWith('/api/v1/approvals/')) return answer(String(input), body!);
    if (String(input) === '/api/v1/sync/records') return new Response(JSON.stringify({ records: [] }), { status: 200 });
    return new Response(JSON.stringify({ error: { code: 'not_found', message: '' } }), { status: 404 });
  });
  return calls;
}

const puts: unknown[] = [];

beforeEach(() => {
  locale.value = 'en';
  puts.length = 0;
  session.value = {
    user: SUPERVISOR,
    vault: {
      get: async () => undefined,
      put: async () => undefined,
      putAction: async (...args: unknown[]) => void puts.push(args),
      outbox: async () => [],
      putMany: async () => undefined,
    } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
  syncState.value = { ...syncState.value, online: true };
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('Approvals queue', () => {
  test('approve sends the version seen', async () => {
    locale.value = 'bn';
    const calls = serve(() => new Response(JSON.stringify(approval('ap1', { status: 'approved', version: 4 })), { status: 200 }));
    pendingApprovals.value = [approval('ap1')];
    serverTasks.value = { today: '2027-01-01', items: [{ kind: 'approval', case_id: CASE_ID, display_id: 'CXB-000001', child_name: null, risk_level: null, due_on: null, item: '', subject_id: 'ap1', overdue: false }] };
    render(<Approvals />);
    expect(screen.getByTestId('approval').textContent).toContain('Plan agreed with the mother');
    fireEvent.click(screen.getByTestId('approve'));
    await waitFor(() => expect(screen.getByTestId('approvals-notice').textContent).toBe('অনুমোদিত: CXB-000001।'));
    const decision = calls.find((call) => call.path === '/api/v1/approvals/ap1/approve');
    expect(decision?.method).toBe('POST');
    expect(decision?.body).toEqual({ expected_version: 3 });
    expect(pendingApprovals.value).toEqual([]);
    expect(serverTasks.value.items).toEqual([]);
  });

  test('reject needs a comment', async () => {
    const calls = serve(() => new Response(JSON.stringify(approval('ap1', { status: 'rejected', version: 4 })), { status: 200 }));
    pendingApprovals.value = [approval('ap1')];
    render(<Approvals />);
    fireEvent.click(screen.getByTestId('reject'));
    expect(screen.getByRole('alert').textContent).toBe(t('approvals-reject-needs-comment'));
    expect(calls).toEqual([]);

    fireEvent.input(screen.getByLabelText(t('approvals-comment')), { target: { value: 'Add the school visit' } });
    fireEvent.click(screen.getByTestId('reject'));
    await waitFor(() => expect(calls.some((call) => call.path === '/api/v1/approvals/ap1/reject')).toBe(true));
    expect(calls.find((call) => call.path === '/api/v1/approvals/ap1/reject')?.body).toEqual({ expected_version: 3, comment: 'Add the school visit' });
  });

  test('lost race says someone decided first', async () => {
    serve(() => new Response(JSON.stringify({ error: { code: 'state_changed', message: 'Someone else acted on this first.' } }), { status: 409 }));
    pendingApprovals.value = [approval('ap1'), approval('ap2', { kind: 'assessment' })];
    render(<Approvals />);
    fireEvent.click(screen.getAllByTestId('approve')[0]);
    await waitFor(() => expect(screen.getByTestId('approvals-notice').textContent).toBe(t('approvals-state-changed', { name: 'CXB-000001' })));
    expect(screen.getAllByTestId('approval').map((card) => card.dataset.approvalId)).toEqual(['ap2']);
  });

  test('offline keeps the buttons off', () => {
    serve(() => new Response('{}', { status: 200 }));
    syncState.value = { ...syncState.value, online: false };
    pendingApprovals.value = [approval('ap1')];
    render(<Approvals />);
    expect(screen.getByText(t('approvals-offline'))).not.toBeNull();
    expect((screen.getByTestId('approve') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('reject') as HTMLButtonElement).disabled).toBe(true);
  });

  test('own requests offer withdraw only', () => {
    serve(() => new Response('{}', { status: 200 }));
    pendingApprovals.value = [approval('mine', { requested_by: { id: SUPERVISOR.id, full_name: SUPERVISOR.full_name } })];
    render(<Approvals />);
    expect(screen.queryByTestId('approve')).toBeNull();
    expect(screen.getByTestId('withdraw')).not.toBeNull();
  });
});

describe('approvalReady', () => {
  const cases: [string, Parameters<typeof approvalReady>[0], Record<string, unknown>, boolean][] = [
    ['assessment not done', 'assessment', {}, false],
    ['assessment done', 'assessment', { assessment_completed_on: '2027-01-01' }, true],
    ['assessment approved', 'assessment', { assessment_completed_on: '2027-01-01', assessment_approved_on: '2027-01-02' }, false],
    ['approved before reopening', 'assessment', { assessment_completed_on: '2027-02-01', assessment_approved_on: '2027-01-02', reopened_on: '2027-01-20' }, true],
    ['done before reopening', 'assessment', { assessment_completed_on: '2027-01-01', reopened_on: '2027-01-20' }, false],
    ['plan without interventions', 'case_plan', { case_plan_interventions: [] }, false],
    ['plan with one', 'case_plan', { case_plan_interventions: [{ unique_id: 'i1' }] }, true],
    ['plan approved', 'case_plan', { case_plan_interventions: [{ unique_id: 'i1' }], case_plan_approved_on: '2027-01-03' }, false],
    ['closure without reason', 'closure', {}, false],
    ['closure with reason', 'closure', { closure_reason: 'reunified' }, true],
  ];
  for (const [name, kind, data, expected] of cases) {
    test(name, () => {
      expect(approvalReady(kind, data)).toBe(expected);
    });
  }
});

describe('ApprovalRequest on the case', () => {
  const record: LocalCase = {
    id: CASE_ID,
    display_id: 'CXB-000001',
    version: 5,
    status: 'open',
    stage: 'case_plan',
    enabled: true,
    owner_id: 'u-rahima',
    owner_agency_id: 'bcri',
    created_by: 'u-rahima',
    created_at: '2027-01-01T03:00:00Z',
    updated_at: '2027-01-01T03:00:00Z',
    data: { assessment_completed_on: '2027-01-01', case_plan_interventions: [{ unique_id: 'i1' }] },
    calculated: {},
    conflicts: [],
    pending: 0,
  };

  test('request is queued with a new id', async () => {
    serve(() => new Response('{}', { status: 200 }));
    syncState.value = { ...syncState.value, online: false };
    render(<ApprovalRequest record={record} canClose />);
    expect(screen.getByTestId('request-assessment').textContent).toBe(t('case-approval-request-assessment'));
    expect(screen.queryByTestId('request-closure')).toBeNull();
    fireEvent.click(screen.getByTestId('request-case_plan'));
    fireEvent.input(screen.getByLabelText(t('case-approval-comment')), { target: { value: 'Ready' } });
    fireEvent.click(screen.getByTestId('request-send-case_plan'));
    await waitFor(() => expect(queuedActions.value).toHaveLength(1));
    const [action] = queuedActions.value;
    expect(action.kind).toBe('approval');
    expect(action.caseId).toBe(CASE_ID);
    expect(action.body).toEqual({ kind: 'case_plan', comment: 'Ready' });
    expect(action.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(puts).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId('approval-queued').textContent).toContain(t('case-approval-waiting-to-send')));
    expect(screen.queryByTestId('request-case_plan')).toBeNull();
  });

  test('rejected request shows the reason', () => {
    serve(() => new Response('{}', { status: 200 }));
    syncState.value = { ...syncState.value, online: false };
    const failed: QueuedAction = {
      id: 'a1',
      kind: 'approval',
      caseId: CASE_ID,
      body: { kind: 'assessment' },
      createdAt: 0,
      state: 'failed',
      error: { status: 409, code: 'approval_pending', message: 'A request is already waiting.' },
    };
    queuedActions.value = [failed];
    render(<ApprovalRequest record={record} canClose={false} />);
    expect(screen.getByTestId('approval-not-sent').textContent).toContain('A request is already waiting.');
  });

  test('waiting kinds from queue and server', () => {
    const queued = [{ id: 'q', kind: 'approval', caseId: CASE_ID, body: { kind: 'closure' }, createdAt: 0, state: 'pending' } satisfies QueuedAction];
    expect([...waitingKinds(queued, [approval('x', { kind: 'assessment' }), approval('y', { status: 'approved' })])].sort()).toEqual(['assessment', 'closure']);
  });
});

describe('FlagList', () => {
  const flagged: LocalCase = {
    id: CASE_ID,
    display_id: 'CXB-000001',
    version: 5,
    status: 'open',
    stage: 'new',
    enabled: true,
    owner_id: 'u-rahima',
    owner_agency_id: 'bcri',
    created_by: 'u-rahima',
    created_at: '2027-01-01T03:00:00Z',
    updated_at: '2027-01-01T03:00:00Z',
    data: {},
    calculated: {},
    conflicts: [],
    pending: 0,
    flags: [{ id: 'f1', text: 'Do not contact the uncle', flagged_by: { id: 'u-rahima', full_name: 'Rahima Akter' }, flagged_at: '2027-01-01T04:00:00Z' }],
  };

  test('add sends the text', async () => {
    const calls: Call[] = [];
    vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
      calls.push({ method: init.method ?? 'GET', path: String(input), body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (String(input) === '/api/v1/sync/records') return new Response(JSON.stringify({ records: [] }), { status: 200 });
      return new Response(JSON.stringify({ id: 'f2', text: 'x', flagged_by: { id: 'u', full_name: 'U' }, flagged_at: '2027-01-01T05:00:00Z' }), { status: 201 });
    });
    render(<FlagList record={{ ...flagged, flags: [] }} canWrite />);
    fireEvent.click(screen.getByTestId('flag-add-open'));
    expect((screen.getByTestId('flag-add') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByTestId('flag-text'), { target: { value: '  Needs an interpreter  ' } });
    fireEvent.click(screen.getByTestId('flag-add'));
    await waitFor(() => expect(screen.queryByTestId('flag-form')).toBeNull());
    expect(calls[0]).toEqual({ method: 'POST', path: `/api/v1/cases/${CASE_ID}/flags`, body: { text: 'Needs an interpreter' } });
  });

  test('remove needs a reason', async () => {
    const calls: Call[] = [];
    vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
      calls.push({ method: init.method ?? 'GET', path: String(input), body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (String(input) === '/api/v1/sync/records') return new Response(JSON.stringify({ records: [] }), { status: 200 });
      return new Response(null, { status: 204 });
    });
    render(<FlagList record={flagged} canWrite />);
    expect(screen.getByTestId('flag').textContent).toContain('Do not contact the uncle');
    fireEvent.click(screen.getByTestId('flag-remove-open'));
    expect((screen.getByTestId('flag-remove') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByTestId('flag-reason'), { target: { value: 'Uncle cleared by the police' } });
    fireEvent.click(screen.getByTestId('flag-remove'));
    await waitFor(() => expect(calls.length).toBeGreaterThan(0));
    expect(calls[0]).toEqual({ method: 'POST', path: '/api/v1/flags/f1/remove', body: { reason: 'Uncle cleared by the police' } });
  });

  test('readers see flags without buttons', () => {
    render(<FlagList record={flagged} canWrite={false} />);
    expect(screen.getByTestId('flag')).not.toBeNull();
    expect(screen.queryByTestId('flag-remove-open')).toBeNull();
    expect(screen.queryByTestId('flag-add-open')).toBeNull();
  });
});
