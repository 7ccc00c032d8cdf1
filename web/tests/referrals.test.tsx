// The referral lists and the referral page against a fake of the referral routes. Covered:
// Incoming and Sent with status by colour and word, the offline copies, each transition with the
// version shown, a 409 state_changed on a revoke after the recipient accepted, the case's Sharing
// section, and the case view of a recipient naming the forms not shared.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { incomingReferrals, listsFetchedAt, queueAction, queuedActions } from '../src/actions';
import { CaseSharing } from '../src/components/CaseSharing';
import { locale, t } from '../src/i18n';
import { forgetReferrals, rememberReferrals, type ReferralView } from '../src/referrals';
import { CaseView } from '../src/screens/CaseView';
import { ReferralDetail } from '../src/screens/ReferralDetail';
import { Referrals } from '../src/screens/Referrals';
import { session } from '../src/session';
import { clearLocalState } from '../src/sync';
import { CASE_ID, errorBody, makeCase, NABIL, referral, SADIA, serve, signIn, transfer, type Handler } from './referralFakes';

const R1 = '0190c000-0000-7000-8000-0000000000r1';

beforeEach(() => {
  locale.value = 'en';
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  forgetReferrals();
  queuedActions.value = [];
  incomingReferrals.value = [];
  listsFetchedAt.value = null;
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

/** Returns the statuses shown, in list order, as `data-status` and word. */
function shownStatuses(container: HTMLElement = document.body): string[] {
  return [...container.querySelectorAll('[data-testid="status"]')].map((element) => `${(element as HTMLElement).dataset.status}:${element.textContent}`);
}

describe('Referrals list', () => {
  test('incoming: open first, closed folded', async () => {
    const calls = serve((call) => {
      if (call.path === '/referrals?box=incoming&status=all') {
        return {
          status: 200,
          body: [
            referral({ id: 'a', status: 'done', service_type: 'education' }),
            referral({ id: 'b', status: 'pending' }),
            referral({ id: 'c', status: 'accepted', service_type: 'health' }),
          ],
        };
      }
      if (call.path === '/transfers?box=incoming&status=all') return { status: 200, body: [transfer({ id: 't', status: 'pending' })] };
      return undefined;
    });
    await signIn(NABIL, null);
    render(<Referrals box="incoming" />);
    await waitFor(() => expect(screen.getAllByTestId('referral')).toHaveLength(3));
    const closed = screen.getByTestId('referrals-closed');
    expect(shownStatuses(closed)).toEqual(['done:Done']);
    expect(shownStatuses()).toEqual(['pending:Waiting for an answer', 'accepted:Accepted', 'pending:Waiting for an answer', 'done:Done']);
    // Colour follows the status: amber waits, green goes on.
    const badges = screen.getAllByTestId('status');
    expect(badges[0].className).toBe('risk medium');
    expect(badges[1].className).toBe('risk low');
    expect(screen.getAllByTestId('referral')[0].getAttribute('href')).toBe('#/referrals/b');
    expect(screen.getAllByTestId('referral')[0].textContent).toContain('Ayesha Begum · C-8001');
    expect(screen.getByTestId('transfer').getAttribute('href')).toBe('#/transfers/t');
    expect(calls.map((call) => call.path).sort()).toEqual(['/referrals?box=incoming&status=all', '/transfers?box=incoming&status=all']);
  });

  test('sent asks the outgoing box', async () => {
    const calls = serve((call) => (call.path.includes('box=outgoing') ? { status: 200, body: [] } : undefined));
    await signIn(SADIA, null);
    render(<Referrals box="sent" />);
    expect(await screen.findByText(t('referrals-none-sent'))).not.toBeNull();
    expect(calls.map((call) => call.path).sort()).toEqual(['/referrals?box=outgoing&status=all', '/transfers?box=outgoing&status=all']);
    expect(screen.getByTestId('referrals-sent').getAttribute('aria-current')).toBe('page');
  });

  test('offline incoming shows the saved copy', async () => {
    const calls = serve(() => undefined);
    await signIn(NABIL, null, false);
    incomingReferrals.value = [referral({ id: R1 })] as unknown as typeof incomingReferrals.value;
    listsFetchedAt.value = Date.parse('2026-11-21T06:30:00Z');
    render(<Referrals box="incoming" />);
    expect(screen.getAllByTestId('referral').map((element) => element.dataset.referralId)).toEqual([R1]);
    // 06:30 UTC is 12:30 in Dhaka.
    expect(screen.getByText(/These are the open referrals as of/).textContent).toContain('12:30');
    expect(calls).toEqual([]);
  });

  test('offline sent shows what waits', async () => {
    serve(() => undefined);
    await signIn(SADIA, makeCase({ consent_for_sharing: true }), false);
    await queueAction('referral', CASE_ID, crypto.randomUUID(), { to_agency_id: 'lli', service_type: 'psychosocial_support', shared_forms: [] });
    render(<Referrals box="sent" />);
    const item = screen.getByTestId('queued-action');
    expect(item.dataset.state).toBe('pending');
    expect(item.textContent).toContain('Referral to Lanternlight International for Psychosocial support');
    expect(item.textContent).toContain(t('sharing-waiting-to-send'));
  });
});

/** Serves the case's referral list from `current()`, and a transition with `transition`. */
function detailServer(current: () => ReferralView[], transition: Handler): ReturnType<typeof serve> {
  return serve((call) => {
    if (call.method === 'GET' && call.path === `/cases/${CASE_ID}/referrals`) return { status: 200, body: current() };
    if (call.method === 'GET' && call.path.startsWith('/referrals?')) return { status: 200, body: [] };
    if (call.method === 'POST' && call.path.startsWith('/referrals/')) return transition(call);
    return undefined;
  });
}

describe('ReferralDetail', () => {
  test('accept sends the version seen', async () => {
    let state = referral({ id: R1, can: ['accept', 'reject'] });
    const calls = detailServer(
      () => [state],
      (call) => {
        state = referral({ id: R1, status: 'accepted', version: 2, to_user: { id: NABIL.id, full_name: NABIL.full_name }, can: ['done'] });
        return call.path === `/referrals/${R1}/accept` ? { status: 200, body: state } : undefined;
      },
    );
    await signIn(NABIL, null);
    rememberReferrals([state]);
    render(<ReferralDetail id={R1} />);
    fireEvent.click(await screen.findByTestId('referral-accept'));
    expect(screen.getByTestId('referral-confirm').textContent).toContain(t('referral-accept-question'));
    fireEvent.click(screen.getByTestId('referral-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('referral-message').textContent).toBe('This referral is now: Accepted.'));
    const post = calls.find((call) => call.method === 'POST' && call.path.startsWith('/referrals/'))!;
    expect(post.path).toBe(`/referrals/${R1}/accept`);
    expect(post.body).toEqual({ expected_version: 1 });
    expect(screen.getByTestId('referral-detail').dataset.status).toBe('accepted');
    expect(screen.getByTestId('referral-done')).not.toBeNull();
    expect(screen.queryByTestId('referral-accept')).toBeNull();
  });

  test('reject needs a reason', async () => {
    const pending = referral({ id: R1, can: ['accept', 'reject'] });
    const calls = detailServer(
      () => [pending],
      () => ({ status: 200, body: referral({ id: R1, status: 'rejected', version: 2, reason: 'No place this month', can: [] }) }),
    );
    await signIn(NABIL, null);
    rememberReferrals([pending]);
    render(<ReferralDetail id={R1} />);
    fireEvent.click(await screen.findByTestId('referral-reject'));
    fireEvent.click(screen.getByTestId('referral-confirm-yes'));
    expect(screen.getByText(t('referral-reason-missing'))).not.toBeNull();
    expect(calls.filter((call) => call.method === 'POST' && call.path.startsWith('/referrals/'))).toEqual([]);
    fireEvent.input(screen.getByTestId('referral-text'), { target: { value: ' No place this month ' } });
    fireEvent.click(screen.getByTestId('referral-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('referral-detail').dataset.status).toBe('rejected'));
    const post = calls.find((call) => call.method === 'POST' && call.path.startsWith('/referrals/'))!;
    expect(post.path).toBe(`/referrals/${R1}/reject`);
    expect(post.body).toEqual({ expected_version: 1, reason: 'No place this month' });
  });

  test('done sends the note', async () => {
    const accepted = referral({ id: R1, status: 'accepted', version: 2, can: ['done'] });
    const calls = detailServer(
      () => [accepted],
      () => ({ status: 200, body: referral({ id: R1, status: 'done', version: 3, can: [] }) }),
    );
    await signIn(NABIL, null);
    rememberReferrals([accepted]);
    render(<ReferralDetail id={R1} />);
    fireEvent.click(await screen.findByTestId('referral-done'));
    fireEvent.input(screen.getByTestId('referral-text'), { target: { value: 'Six group sessions' } });
    fireEvent.click(screen.getByTestId('referral-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('referral-detail').dataset.status).toBe('done'));
    const post = calls.find((call) => call.method === 'POST' && call.path.startsWith('/referrals/'))!;
    expect(post.path).toBe(`/referrals/${R1}/done`);
    expect(post.body).toEqual({ expected_version: 2, note: 'Six group sessions' });
  });

  // Sadia's page still shows R-1 pending at version 1 after Nabil accepted it (version 2).
  test('revoke after accept shows accepted', async () => {
    const stale = referral({ id: R1, status: 'pending', version: 1, can: ['revoke'] });
    const accepted = referral({ id: R1, status: 'accepted', version: 2, to_user: { id: NABIL.id, full_name: NABIL.full_name }, can: ['end'] });
    let served = stale;
    const calls = detailServer(
      () => [served],
      () => ({ status: 409, body: errorBody('state_changed', 'This referral is now accepted.', { current_status: 'accepted', version: 2 }) }),
    );
    await signIn(SADIA, makeCase({}));
    rememberReferrals([stale]);
    render(<ReferralDetail id={R1} />);
    await waitFor(() => expect(calls.some((call) => call.path === `/cases/${CASE_ID}/referrals`)).toBe(true));
    served = accepted;
    fireEvent.click(await screen.findByTestId('referral-revoke'));
    fireEvent.click(screen.getByTestId('referral-confirm-yes'));

    await waitFor(() => expect(screen.getByTestId('referral-message').textContent).toBe('This referral is now: Accepted.'));
    const post = calls.find((call) => call.method === 'POST' && call.path.startsWith('/referrals/'))!;
    expect(post.path).toBe(`/referrals/${R1}/revoke`);
    expect(post.body).toEqual({ expected_version: 1 });
    expect(screen.getByTestId('referral-detail').dataset.status).toBe('accepted');
    expect(screen.queryByTestId('referral-revoke')).toBeNull();
    // Ending the referral is a separate transition, now offered.
    expect(screen.getByTestId('referral-end').textContent).toBe(t('referral-end'));
  });

  test('access ended: not available', async () => {
    const open = referral({ id: R1, status: 'accepted', can: ['done'] });
    serve((call) => (call.path.startsWith('/referrals?') ? { status: 200, body: [] } : undefined));
    await signIn(NABIL, null);
    rememberReferrals([open]);
    render(<ReferralDetail id={R1} />);
    expect(await screen.findByTestId('referral-gone')).not.toBeNull();
    expect(screen.getByText(t('referral-gone'))).not.toBeNull();
  });

  test('offline: answers need a connection', async () => {
    const pending = referral({ id: R1, can: ['accept', 'reject'] });
    const calls = serve(() => undefined);
    await signIn(NABIL, null, false);
    incomingReferrals.value = [pending] as unknown as typeof incomingReferrals.value;
    render(<ReferralDetail id={R1} />);
    expect(screen.getByText(t('referral-needs-connection'))).not.toBeNull();
    expect((screen.getByTestId('referral-accept') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('referral-shared-forms').textContent).toBe('Record owner, Basic identity, Protection concerns, Data confidentiality and consent, Services');
    expect(calls).toEqual([]);
  });
});

describe('CaseSharing', () => {
  test('lists referrals, transfers and waiting ones', async () => {
    const calls = serve((call) => {
      if (call.path === `/cases/${CASE_ID}/referrals`) return { status: 200, body: [referral({ id: R1, status: 'accepted', to_user: { id: NABIL.id, full_name: NABIL.full_name } })] };
      if (call.path === `/cases/${CASE_ID}/transfers`) return { status: 200, body: [transfer({ id: 't1', status: 'rejected', reason: 'Full caseload' })] };
      return undefined;
    });
    const record = makeCase({ consent_for_sharing: true });
    await signIn(SADIA, record);
    await queueAction('referral', CASE_ID, crypto.randomUUID(), { to_agency_id: 'smr', service_type: 'health', shared_forms: [] });
    render(<CaseSharing record={record} />);
    await waitFor(() => expect(screen.getAllByTestId('referral')).toHaveLength(1));
    const section = screen.getByTestId('case-sharing');
    expect(within(section).getByTestId('queued-action').textContent).toContain('Referral to Sunrise Medical Relief for Health');
    expect(screen.getByTestId('referral').textContent).toContain('To Nabil Hasan, Lanternlight International');
    expect(shownStatuses(section)).toEqual(['accepted:Accepted', 'rejected:Rejected']);
    expect(screen.getByTestId('refer-open').getAttribute('href')).toBe(`#/cases/${CASE_ID}/refer`);
    expect(screen.getByTestId('transfer-open').getAttribute('href')).toBe(`#/cases/${CASE_ID}/transfer`);
    expect(calls.map((call) => call.path).sort()).toEqual([`/cases/${CASE_ID}/referrals`, `/cases/${CASE_ID}/transfers`]);
  });

  test('offline: says the lists need a connection', async () => {
    const calls = serve(() => undefined);
    const record = makeCase({});
    await signIn(SADIA, record, false);
    render(<CaseSharing record={record} />);
    expect(screen.getByText(t('sharing-offline'))).not.toBeNull();
    expect(calls).toEqual([]);
  });

  test('recipient gets no refer or transfer buttons', async () => {
    serve((call) => (call.path.startsWith(`/cases/${CASE_ID}/`) ? { status: 200, body: [] } : undefined));
    const record = makeCase({}, { shared_forms: ['basic_identity', 'services'] } as never);
    await signIn(NABIL, record);
    render(<CaseSharing record={record} />);
    expect(await screen.findByText(t('sharing-none'))).not.toBeNull();
    expect(screen.queryByTestId('refer-open')).toBeNull();
    expect(screen.queryByTestId('transfer-open')).toBeNull();
    expect(screen.queryByTestId('transfer-request-open')).toBeNull();
  });
});

describe('CaseView of a referred case', () => {
  test('names forms not shared', async () => {
    serve(() => undefined);
    const record = makeCase({ sex: 'female' }, { shared_forms: ['record_owner', 'basic_identity', 'services'] } as never);
    await signIn(NABIL, record, false);
    const { unmount } = render(<CaseView id={CASE_ID} form="family_details" />);
    expect((await screen.findByTestId('form-empty')).textContent).toBe(t('sharing-form-not-shared'));
    unmount();

    render(<CaseView id={CASE_ID} form="services" />);
    expect((await screen.findByTestId('form-empty')).textContent).toBe(t('form-empty'));
  });

  test('recipient gets no flag or approval actions', async () => {
    serve(() => undefined);
    // Shared forms that would make the case plan approvable and the closure requestable.
    const data = { closure_reason: 'goals_met', case_plan_interventions: [{ unique_id: '01900000-0000-7000-8000-0000000000a1' }] };
    const record = makeCase(data, { shared_forms: ['record_owner', 'basic_identity', 'case_plan', 'closure', 'services'] } as never);
    await signIn(NABIL, record, false);
    render(<CaseView id={CASE_ID} form="services" />);
    await screen.findByTestId('form-empty');
    expect(screen.queryByTestId('flag-add-open')).toBeNull();
    expect(screen.queryByTestId('case-approvals')).toBeNull();
    expect(screen.queryByTestId('close-case')).toBeNull();
  });

  test('owner keeps flag and approval actions', async () => {
    serve(() => undefined);
    const data = { case_plan_interventions: [{ unique_id: '01900000-0000-7000-8000-0000000000a1' }] };
    const record = makeCase(data, { shared_forms: null } as never);
    await signIn(SADIA, record, false);
    render(<CaseView id={CASE_ID} form="services" />);
    expect(await screen.findByTestId('flag-add-open')).not.toBeNull();
    expect(await screen.findByTestId('case-approvals')).not.toBeNull();
  });

  test('falls back to incoming referrals', async () => {
    serve(() => undefined);
    // A server that sends no `shared_forms`: the open referral kept by the last sync decides.
    const record = makeCase({});
    await signIn(NABIL, record, false);
    incomingReferrals.value = [referral({ id: R1, status: 'accepted', shared_forms: ['basic_identity', 'services'] })] as unknown as typeof incomingReferrals.value;
    const { unmount } = render(<CaseView id={CASE_ID} form="family_details" />);
    expect((await screen.findByTestId('form-empty')).textContent).toBe(t('sharing-form-not-shared'));
    unmount();

    render(<CaseView id={CASE_ID} form="services" />);
    expect((await screen.findByTestId('form-empty')).textContent).toBe(t('form-empty'));
  });

  test('server null beats incoming referrals', async () => {
    // The server says Nabil reads this case by assignment, although he also received a referral.
    serve(() => undefined);
    const record = makeCase({}, { shared_forms: null } as never);
    await signIn(NABIL, record, false);
    incomingReferrals.value = [referral({ id: R1, status: 'accepted', shared_forms: ['basic_identity', 'services'] })] as unknown as typeof incomingReferrals.value;
    render(<CaseView id={CASE_ID} form="family_details" />);
    expect((await screen.findByTestId('form-empty')).textContent).toBe(t('form-empty'));
  });

  test('owner sees empty forms as empty', async () => {
    serve(() => undefined);
    const record = makeCase({});
    await signIn(SADIA, record, false);
    render(<CaseView id={CASE_ID} form="family_details" />);
    expect((await screen.findByTestId('form-empty')).textContent).toBe(t('form-empty'));
  });
});
