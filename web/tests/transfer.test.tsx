// The transfer screens against a fake of the transfer routes: who may transfer or ask for a
// case, the body of a transfer out of the agency and inside it, 422 transfer_pending, a request
// by an assigned caseworker, a transfer made offline, and the transfer page's accept (two users
// at once), reject with a required reason, the question a transfer request asks the owner, and
// the consent rule when the owner accepts a request from another agency.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { queuedActions } from '../src/actions';
import { transferMode } from '../src/components/CaseSharing';
import { locale, t } from '../src/i18n';
import { forgetReferrals, rememberTransfers, type TransferView } from '../src/referrals';
import { Transfer, TransferDetail } from '../src/screens/Transfer';
import { session } from '../src/session';
import { clearLocalState } from '../src/sync';
import { CASE_ID, config, errorBody, KARIM, makeCase, NABIL, PRIYA, SADIA, serve, signIn, transfer, type Call } from './referralFakes';

const T1 = '0190c000-0000-7000-8000-0000000000t1';
const MAHMUD = { id: '0190a1b2-0000-7000-8000-00000000a003', username: 'cw.mahmud', full_name: 'Mahmud Hasan', role_id: 'caseworker' };

beforeEach(() => {
  locale.value = 'en';
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  forgetReferrals();
  queuedActions.value = [];
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

function role(id: string) {
  return config.roles.find((entry) => entry.id === id);
}

function posts(calls: Call[]): Call[] {
  return calls.filter((call) => call.method === 'POST' && call.path !== '/sync');
}

describe('transferMode', () => {
  const cases: [string, string, string, Parameters<typeof makeCase>[1], ReturnType<typeof transferMode>][] = [
    ['owner caseworker', 'caseworker', SADIA.id, {}, 'transfer'],
    ['assigned caseworker', 'caseworker', MAHMUD.id, {}, 'request'],
    ['supervisor of the group', 'supervisor', KARIM.id, {}, 'transfer'],
    ['referral recipient', 'service_provider', NABIL.id, { shared_forms: ['basic_identity'] } as never, null],
    ['agency administrator', 'agency_admin', 'someone', {}, null],
  ];
  for (const [name, roleId, userId, overrides, expected] of cases) {
    test(name, () => {
      expect(transferMode(makeCase({}, overrides), role(roleId), userId)).toBe(expected);
    });
  }
});

describe('Transfer', () => {
  test('to another agency with consent', async () => {
    const calls = serve((call) =>
      call.method === 'POST' && call.path === `/cases/${CASE_ID}/transfers` ? { status: 201, body: transfer({ id: String(call.body!.id) }) } : undefined,
    );
    await signIn(SADIA, makeCase({ consent_for_sharing: true }));
    render(<Transfer id={CASE_ID} />);
    fireEvent.change(await screen.findByTestId('transfer-agency'), { target: { value: 'lli' } });
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('given');
    expect(screen.getByText(t('transfer-to-agency-hint', { name: 'Lanternlight International' }))).not.toBeNull();
    fireEvent.input(screen.getByLabelText(t('transfer-note')), { target: { value: 'Family moved to Camp 4' } });
    fireEvent.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(screen.getByTestId('transfer-outcome').dataset.outcome).toBe('sent'));
    const sent = posts(calls);
    expect(sent).toHaveLength(1);
    const { id, ...rest } = sent[0].body!;
    expect(typeof id).toBe('string');
    expect(rest).toEqual({ to_agency_id: 'lli', note: 'Family moved to Camp 4' });
    expect(screen.getByRole('status').textContent).toBe(t('transfer-sent', { name: 'Lanternlight International' }));
  });

  test('without consent is blocked', async () => {
    const calls = serve(() => undefined);
    await signIn(SADIA, makeCase({}));
    render(<Transfer id={CASE_ID} />);
    fireEvent.change(await screen.findByTestId('transfer-agency'), { target: { value: 'lli' } });
    expect(screen.getByTestId('consent-blocked')).not.toBeNull();
    expect((screen.getByTestId('transfer-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(posts(calls)).toEqual([]);
  });

  test('supervisor may choose a person', async () => {
    const calls = serve((call) => {
      if (call.path === '/users/assignable') return { status: 200, body: [{ ...SADIA, role_id: 'caseworker' }, MAHMUD] };
      if (call.method === 'POST' && call.path === `/cases/${CASE_ID}/transfers`) return { status: 201, body: transfer({ to_agency_id: 'bcri' }) };
      return undefined;
    });
    await signIn(KARIM, makeCase({}));
    render(<Transfer id={CASE_ID} />);
    fireEvent.change(await screen.findByTestId('transfer-agency'), { target: { value: 'bcri' } });
    const person = (await screen.findByTestId('transfer-user')) as HTMLSelectElement;
    // The owner is not offered her own case; the empty choice sends it to the agency.
    expect([...person.options].map((option) => option.value)).toEqual(['', MAHMUD.id]);
    expect(person.options[0].textContent).toBe(t('transfer-anyone', { name: 'Bridgewell Child Rights International' }));
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('internal');
    fireEvent.change(person, { target: { value: MAHMUD.id } });
    fireEvent.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(screen.getByTestId('transfer-outcome')).not.toBeNull());
    expect(posts(calls)[0].body).toMatchObject({ to_agency_id: 'bcri', to_user_id: MAHMUD.id });
  });

  test('caseworker transfers to the agency', async () => {
    const calls = serve((call) =>
      call.method === 'POST' && call.path === `/cases/${CASE_ID}/transfers` ? { status: 201, body: transfer({ to_agency_id: 'bcri' }) } : undefined,
    );
    await signIn(SADIA, makeCase({}));
    render(<Transfer id={CASE_ID} />);
    fireEvent.change(await screen.findByTestId('transfer-agency'), { target: { value: 'bcri' } });
    // Only roles that may assign cases can list the agency's people.
    expect(screen.queryByTestId('transfer-user')).toBeNull();
    expect(screen.getByText(t('transfer-to-agency-hint', { name: 'Bridgewell Child Rights International' }))).not.toBeNull();
    fireEvent.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(screen.getByTestId('transfer-outcome')).not.toBeNull());
    expect(calls.some((call) => call.path === '/users/assignable')).toBe(false);
    const { id, ...rest } = posts(calls)[0].body!;
    expect(typeof id).toBe('string');
    expect(rest).toEqual({ to_agency_id: 'bcri' });
  });

  // A second transfer while T-1 is pending is rejected with 422, naming T-1.
  test('pending transfer: shows the message', async () => {
    const message = `This case already has a pending transfer: ${T1}.`;
    serve((call) => (call.method === 'POST' ? { status: 422, body: errorBody('transfer_pending', message, { existing_id: T1 }) } : undefined));
    await signIn(SADIA, makeCase({ consent_for_sharing: true }));
    render(<Transfer id={CASE_ID} />);
    fireEvent.change(await screen.findByTestId('transfer-agency'), { target: { value: 'smr' } });
    fireEvent.click(screen.getByTestId('transfer-submit'));
    expect((await screen.findByTestId('transfer-error')).textContent).toBe(message);
    expect(screen.queryByTestId('transfer-outcome')).toBeNull();
  });

  test('offline transfer waits in the queue', async () => {
    const calls = serve(() => undefined);
    await signIn(SADIA, makeCase({ consent_for_sharing: true }), false);
    render(<Transfer id={CASE_ID} />);
    fireEvent.change(await screen.findByTestId('transfer-agency'), { target: { value: 'frni' } });
    fireEvent.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(screen.getByTestId('transfer-outcome').dataset.outcome).toBe('queued'));
    expect(calls).toEqual([]);
    expect(queuedActions.value.map((action) => [action.kind, action.caseId, action.body])).toEqual([['transfer', CASE_ID, { to_agency_id: 'frni' }]]);
  });

  test('assigned caseworker asks the owner', async () => {
    const calls = serve((call) =>
      call.method === 'POST' && call.path === `/cases/${CASE_ID}/transfer-requests`
        ? { status: 201, body: transfer({ kind: 'request', from_user: { id: MAHMUD.id, full_name: MAHMUD.full_name } }) }
        : undefined,
    );
    await signIn({ ...SADIA, id: MAHMUD.id, username: MAHMUD.username, full_name: MAHMUD.full_name }, makeCase({}));
    render(<Transfer id={CASE_ID} />);
    expect(await screen.findByTestId('transfer-request-form')).not.toBeNull();
    fireEvent.input(screen.getByLabelText(t('transfer-request-note')), { target: { value: 'I visit the family weekly' } });
    fireEvent.click(screen.getByTestId('transfer-request-submit'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('transfer-request-sent')));
    const sent = posts(calls);
    expect(sent.map((call) => call.path)).toEqual([`/cases/${CASE_ID}/transfer-requests`]);
    expect(Object.keys(sent[0].body!).sort()).toEqual(['id', 'note']);
    expect(sent[0].body!.note).toBe('I visit the family weekly');
  });
});

/** Serves the case's transfers from `current()` and transitions with `answer`. */
function transferServer(current: () => TransferView[], answer: (call: Call) => { status: number; body?: unknown }): Call[] {
  return serve((call) => {
    if (call.method === 'GET' && call.path === `/cases/${CASE_ID}/transfers`) return { status: 200, body: current() };
    if (call.method === 'GET' && call.path.startsWith('/transfers?')) return { status: 200, body: [] };
    if (call.method === 'POST' && call.path.startsWith('/transfers/')) return answer(call);
    return undefined;
  });
}

describe('TransferDetail', () => {
  // Nabil and Priya accept T-1 at the same time, and Priya's request loses with 409.
  test('second accept shows the winner', async () => {
    const pending = transfer({ id: T1, can: ['accept', 'reject'] });
    const accepted = transfer({ id: T1, status: 'accepted', version: 2, to_user: { id: NABIL.id, full_name: NABIL.full_name }, can: [] });
    let served = pending;
    const calls = transferServer(
      () => [served],
      () => ({ status: 409, body: errorBody('state_changed', 'This transfer is now accepted.', { current_status: 'accepted', version: 2 }) }),
    );
    await signIn({ ...NABIL, id: PRIYA.id, username: 'sp.priya', full_name: PRIYA.full_name, role_id: 'caseworker' }, null);
    rememberTransfers([pending]);
    render(<TransferDetail id={T1} />);
    await waitFor(() => expect(calls.some((call) => call.path === `/cases/${CASE_ID}/transfers`)).toBe(true));
    served = accepted;
    fireEvent.click(await screen.findByTestId('transfer-accept'));
    expect(screen.getByTestId('transfer-confirm').textContent).toContain(t('transfer-accept-question'));
    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('transfer-message').textContent).toBe('This transfer is now: Accepted.'));
    expect(posts(calls).map((call) => [call.path, call.body])).toEqual([[`/transfers/${T1}/accept`, { expected_version: 1 }]]);
    expect(screen.getByTestId('transfer-detail').dataset.status).toBe('accepted');
    expect(screen.queryByTestId('transfer-accept')).toBeNull();
  });

  test('reject needs a reason', async () => {
    const pending = transfer({ id: T1, can: ['accept', 'reject'] });
    const calls = transferServer(
      () => [pending],
      () => ({ status: 200, body: transfer({ id: T1, status: 'rejected', version: 2, reason: 'Outside our area', can: [] }) }),
    );
    await signIn(NABIL, null);
    rememberTransfers([pending]);
    render(<TransferDetail id={T1} />);
    fireEvent.click(await screen.findByTestId('transfer-reject'));
    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    expect(screen.getByText(t('referral-reason-missing'))).not.toBeNull();
    expect(posts(calls)).toEqual([]);
    fireEvent.input(screen.getByTestId('transfer-reason'), { target: { value: 'Outside our area' } });
    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('transfer-detail').dataset.status).toBe('rejected'));
    expect(posts(calls).map((call) => [call.path, call.body])).toEqual([[`/transfers/${T1}/reject`, { expected_version: 1, reason: 'Outside our area' }]]);
  });

  test('sender is not offered accept', async () => {
    const own = transfer({ id: T1, to_agency_id: 'bcri', can: ['accept', 'reject', 'revoke'] });
    transferServer(
      () => [own],
      () => ({ status: 200, body: own }),
    );
    await signIn(SADIA, makeCase({}));
    rememberTransfers([own]);
    render(<TransferDetail id={T1} />);
    expect((await screen.findByTestId('transfer-revoke')).textContent).toBe(t('transfer-revoke'));
    expect(screen.queryByTestId('transfer-accept')).toBeNull();
    expect(screen.queryByTestId('transfer-reject')).toBeNull();
  });

  test('owner is asked to give the case', async () => {
    const request = transfer({ id: T1, kind: 'request', from_user: { id: MAHMUD.id, full_name: MAHMUD.full_name }, to_agency_id: 'bcri', can: ['accept', 'reject'] });
    transferServer(
      () => [request],
      () => ({ status: 200, body: request }),
    );
    await signIn(SADIA, makeCase({}));
    rememberTransfers([request]);
    render(<TransferDetail id={T1} />);
    expect(screen.getByRole('heading').textContent).toBe(t('sharing-transfer-request'));
    fireEvent.click(await screen.findByTestId('transfer-accept'));
    expect(screen.getByTestId('transfer-confirm').textContent).toContain('Give this case to Mahmud Hasan?');
  });

  // Priya works in Lanternlight and asks for a case of BCRI: accepting moves it out of the agency.
  function outsideRequest(): TransferView {
    return transfer({
      id: T1,
      kind: 'request',
      from_user: { id: PRIYA.id, full_name: PRIYA.full_name },
      from_agency_id: 'lli',
      to_agency_id: 'bcri',
      can: ['accept', 'reject'],
    });
  }

  test('outside request needs consent', async () => {
    const request = outsideRequest();
    const calls = transferServer(
      () => [request],
      () => ({ status: 200, body: request }),
    );
    await signIn(SADIA, makeCase({}));
    rememberTransfers([request]);
    render(<TransferDetail id={T1} />);
    fireEvent.click(await screen.findByTestId('transfer-accept'));
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('blocked');
    expect(screen.getByTestId('consent-state').textContent).toBe(t('consent-not-recorded'));
    expect(screen.getByTestId('consent-blocked').textContent).toContain(t('consent-blocked'));
    expect(screen.queryByTestId('consent-override-reason')).toBeNull();
    expect((screen.getByTestId('transfer-confirm-yes') as HTMLButtonElement).disabled).toBe(true);
    expect(posts(calls)).toEqual([]);
  });

  test('outside request with consent', async () => {
    const request = outsideRequest();
    const calls = transferServer(
      () => [request],
      () => ({ status: 200, body: { ...request, status: 'accepted', version: 2, can: [] } }),
    );
    await signIn(SADIA, makeCase({ consent_for_sharing: true }));
    rememberTransfers([request]);
    render(<TransferDetail id={T1} />);
    fireEvent.click(await screen.findByTestId('transfer-accept'));
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('given');
    expect(screen.getByTestId('consent-state').textContent).toBe(t('consent-recorded'));
    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('transfer-detail').dataset.status).toBe('accepted'));
    expect(posts(calls).map((call) => [call.path, call.body])).toEqual([[`/transfers/${T1}/accept`, { expected_version: 1 }]]);
  });

  test('supervisor override needs a reason', async () => {
    const request = outsideRequest();
    const calls = transferServer(
      () => [request],
      () => ({ status: 200, body: { ...request, status: 'accepted', version: 2, can: [] } }),
    );
    await signIn(KARIM, makeCase({}));
    rememberTransfers([request]);
    render(<TransferDetail id={T1} />);
    fireEvent.click(await screen.findByTestId('transfer-accept'));
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('override');
    expect(screen.getByText(t('consent-override-warning'))).not.toBeNull();

    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    expect(screen.getByText(t('consent-override-reason-missing'))).not.toBeNull();
    expect(screen.getByTestId('consent-override-reason').getAttribute('aria-invalid')).toBe('true');
    expect(posts(calls)).toEqual([]);

    fireEvent.input(screen.getByTestId('consent-override-reason'), { target: { value: 'Child moved to Camp 4 with the family' } });
    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('transfer-detail').dataset.status).toBe('accepted'));
    expect(posts(calls).map((call) => [call.path, call.body])).toEqual([
      [`/transfers/${T1}/accept`, { expected_version: 1, consent_override_reason: 'Child moved to Camp 4 with the family' }],
    ]);
  });

  test('server consent_missing is shown', async () => {
    // The case is not on this phone, so the screen cannot check consent and the server decides.
    const request = outsideRequest();
    const calls = transferServer(
      () => [request],
      () => ({ status: 422, body: errorBody('consent_missing', 'This case does not record consent to share.') }),
    );
    await signIn(SADIA, null);
    rememberTransfers([request]);
    render(<TransferDetail id={T1} />);
    fireEvent.click(await screen.findByTestId('transfer-accept'));
    expect(screen.queryByTestId('consent-notice')).toBeNull();
    fireEvent.click(screen.getByTestId('transfer-confirm-yes'));
    await waitFor(() => expect(screen.getByTestId('transfer-message').textContent).toBe('This case does not record consent to share.'));
    expect(posts(calls)).toHaveLength(1);
    expect(screen.getByTestId('transfer-detail').dataset.status).toBe('pending');
  });
});
