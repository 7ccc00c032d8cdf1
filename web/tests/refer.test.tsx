// The Refer screen against a fake of the referral routes. Covered: agencies that provide the
// service first, the request body it sends, and the consent rule (blocked for a caseworker, a
// logged reason for a supervisor, nothing needed inside the agency). A referral made offline or
// lost on the network waits in the action queue with its id, and 422 referral_pending links the
// referral that is already waiting.

import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { queuedActions } from '../src/actions';
import { locale, t } from '../src/i18n';
import type { Role } from '../src/domain/config';
import type { RecipientAgency } from '../src/referrals';
import { recipientsFromConfiguration, Refer } from '../src/screens/Refer';
import { session } from '../src/session';
import { clearLocalState } from '../src/sync';
import { CASE_ID, config, errorBody, KARIM, makeCase, NABIL, PRIYA, referral, SADIA, serve, signIn, type Handler } from './referralFakes';

/** Returns the ids of the forms offered on the screen. */
function offeredForms(): string[] {
  return [...screen.getByTestId('refer-forms').querySelectorAll('input[type="checkbox"]')].map((input) => (input as HTMLInputElement).value);
}

const RECIPIENTS: RecipientAgency[] = [
  { agency_id: 'lli', agency_name: { en: 'Lanternlight International', bn: 'ল্যানটার্নলাইট ইন্টারন্যাশনাল' }, provides: true, users: [{ id: NABIL.id, full_name: NABIL.full_name }, PRIYA] },
  {
    agency_id: 'bcri',
    agency_name: { en: 'Bridgewell Child Rights International', bn: 'ব্রিজওয়েল' },
    provides: true,
    users: [{ id: '0190a1b2-0000-7000-8000-00000000a009', full_name: 'Rumana Akter' }],
  },
  { agency_id: 'smr', agency_name: { en: 'Sunrise Medical Relief', bn: 'সানরাইজ মেডিকেল রিলিফ' }, provides: false, users: [] },
];

const WITH_CONSENT = { consent_for_sharing: true };

/** Serves the recipients list and a created referral. `extra` is asked first and wins when it returns an answer. */
function referralServer(extra: Handler = () => undefined) {
  return serve((call) => {
    const answer = extra(call);
    if (answer) return answer;
    if (call.method === 'GET' && call.path === '/referral-recipients?service=psychosocial_support') return { status: 200, body: RECIPIENTS };
    if (call.method === 'POST' && call.path === `/cases/${CASE_ID}/referrals`) {
      const body = call.body!;
      return { status: 201, body: referral({ id: String(body.id), to_agency_id: String(body.to_agency_id), shared_forms: body.shared_forms as string[] }) };
    }
    return undefined;
  });
}

async function chooseService(service = 'psychosocial_support') {
  const select = await screen.findByTestId('refer-service');
  fireEvent.change(select, { target: { value: service } });
}

async function chooseAgency(id: string) {
  const button = await waitFor(() => {
    const found = screen.getAllByTestId('refer-agency').find((element) => element.dataset.agencyId === id);
    if (!found) throw new Error(`agency ${id} not listed`);
    return found;
  });
  fireEvent.click(button);
}

beforeEach(() => {
  locale.value = 'en';
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  queuedActions.value = [];
  vi.unstubAllGlobals();
  locale.value = 'bn';
});

describe('Refer', () => {
  test('lists providers first', async () => {
    const calls = referralServer();
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await waitFor(() => expect(screen.getAllByTestId('refer-agency')).toHaveLength(3));
    const agencies = screen.getAllByTestId('refer-agency');
    expect(agencies.map((element) => element.dataset.agencyId)).toEqual(['lli', 'bcri', 'smr']);
    expect(within(agencies[0]).getByText(t('refer-provides'))).not.toBeNull();
    expect(within(agencies[2]).getByText(t('refer-not-listed'))).not.toBeNull();
    // Agencies that do not list the service are folded away.
    const folded = screen.getByTestId('refer-other-agencies') as HTMLDetailsElement;
    expect(folded.open).toBe(false);
    expect(within(folded).getAllByTestId('refer-agency').map((element) => element.dataset.agencyId)).toEqual(['smr']);
    expect(folded.querySelector('summary')!.textContent).toBe('Agencies that do not list this service (1)');
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /referral-recipients?service=psychosocial_support']);
  });

  test('sends service, person, forms and note', async () => {
    const calls = referralServer();
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await chooseAgency('lli');
    fireEvent.click(screen.getAllByTestId('refer-user').find((input) => (input as HTMLInputElement).value === PRIYA.id)!);
    // Untick the consent form, tick the case plan.
    const forms = screen.getByTestId('refer-forms');
    fireEvent.click(within(forms).getByLabelText('Data confidentiality and consent'));
    fireEvent.click(within(forms).getByLabelText('Case plan'));
    fireEvent.input(screen.getByLabelText(t('refer-note')), { target: { value: '  Nightmares since the fire.  ' } });
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('given');
    fireEvent.click(screen.getByTestId('refer-submit'));

    await waitFor(() => expect(screen.getByTestId('refer-outcome').dataset.outcome).toBe('sent'));
    const posts = calls.filter((call) => call.method === 'POST');
    expect(posts).toHaveLength(1);
    const { id, ...rest } = posts[0].body!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rest).toEqual({
      to_agency_id: 'lli',
      to_user_id: PRIYA.id,
      service_type: 'psychosocial_support',
      shared_forms: ['basic_identity', 'protection_concerns', 'services', 'case_plan'],
      note: 'Nightmares since the fire.',
    });
    expect(screen.getByRole('status').textContent).toBe('Referral sent to Lanternlight International for Psychosocial support.');
  });

  test('default forms are the four of the contract', async () => {
    referralServer();
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    await screen.findByTestId('refer-forms');
    const ticked = [...screen.getByTestId('refer-forms').querySelectorAll('input:checked')].map((input) => (input as HTMLInputElement).value);
    expect(ticked).toEqual(['basic_identity', 'protection_concerns', 'consent', 'services']);
    // The record owner form is always shared, so it is not a choice.
    expect(screen.getByTestId('refer-forms').querySelector('input[value="record_owner"]')).toBeNull();
  });

  test('caseworker without consent is blocked', async () => {
    const calls = referralServer();
    await signIn(SADIA, makeCase({ consent_for_sharing: false }));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await chooseAgency('lli');
    expect(screen.getByTestId('consent-state').textContent).toBe(t('consent-not-recorded'));
    const blocked = screen.getByTestId('consent-blocked');
    expect(blocked.textContent).toContain(t('consent-blocked'));
    expect(within(blocked).getByText(t('consent-record-first')).getAttribute('href')).toBe(`#/cases/${CASE_ID}/edit/consent`);
    expect((screen.getByTestId('refer-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('refer'));
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);
    expect(screen.queryByTestId('consent-override-reason')).toBeNull();
  });

  test('same agency needs no consent', async () => {
    const calls = referralServer();
    await signIn(SADIA, makeCase({}));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await chooseAgency('bcri');
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('internal');
    expect(screen.getByText(t('consent-internal'))).not.toBeNull();
    // A missing consent is no warning inside the agency.
    expect(screen.queryByTestId('consent-state')).toBeNull();
    fireEvent.click(screen.getByTestId('refer-submit'));
    await waitFor(() => expect(screen.getByTestId('refer-outcome')).not.toBeNull());
    const post = calls.find((call) => call.method === 'POST')!;
    expect(post.body!.to_agency_id).toBe('bcri');
    expect('consent_override_reason' in post.body!).toBe(false);
    expect('to_user_id' in post.body!).toBe(false);
  });

  test('supervisor override needs a reason', async () => {
    const calls = referralServer();
    await signIn(KARIM, makeCase({}));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await chooseAgency('lli');
    expect(screen.getByTestId('consent-notice').dataset.rule).toBe('override');
    expect(screen.getByText(t('consent-override-warning'))).not.toBeNull();

    fireEvent.click(screen.getByTestId('refer-submit'));
    expect(await screen.findByText(t('consent-override-reason-missing'))).not.toBeNull();
    expect(screen.getByTestId('consent-override-reason').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.input(screen.getByTestId('consent-override-reason'), { target: { value: 'Child at immediate risk at home' } });
    fireEvent.click(screen.getByTestId('refer-submit'));
    await waitFor(() => expect(screen.getByTestId('refer-outcome')).not.toBeNull());
    const posts = calls.filter((call) => call.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].body!.consent_override_reason).toBe('Child at immediate risk at home');
  });

  test('offline referral waits in the queue', async () => {
    const calls = referralServer();
    await signIn(SADIA, makeCase(WITH_CONSENT), false);
    render(<Refer id={CASE_ID} />);
    expect(await screen.findByText(t('refer-offline'))).not.toBeNull();
    await chooseService();
    // Offline the agencies come from the configuration, providers of the service first.
    const shown = screen.getAllByTestId('refer-agency').map((element) => element.dataset.agencyId);
    expect(shown).toEqual(recipientsFromConfiguration(config, 'psychosocial_support').map((agency) => agency.agency_id));
    expect(shown.slice(0, 3)).toEqual(['frni', 'lli', 'bcri']);
    await chooseAgency('lli');
    expect(screen.getByText(t('refer-person-offline'))).not.toBeNull();
    expect(screen.getByTestId('refer-submit').textContent).toBe(t('refer-save-offline'));
    fireEvent.click(screen.getByTestId('refer-submit'));

    await waitFor(() => expect(screen.getByTestId('refer-outcome').dataset.outcome).toBe('queued'));
    expect(calls).toEqual([]);
    expect(queuedActions.value).toHaveLength(1);
    const [action] = queuedActions.value;
    expect(action.kind).toBe('referral');
    expect(action.caseId).toBe(CASE_ID);
    expect(action.state).toBe('pending');
    expect(action.body).toEqual({ to_agency_id: 'lli', service_type: 'psychosocial_support', shared_forms: ['basic_identity', 'protection_concerns', 'consent', 'services'] });
  });

  test('lost answer queues the same id', async () => {
    const calls = referralServer((call) => (call.method === 'POST' ? 'network' : undefined));
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await chooseAgency('lli');
    fireEvent.click(screen.getByTestId('refer-submit'));
    await waitFor(() => expect(screen.getByTestId('refer-outcome').dataset.outcome).toBe('queued'));
    const post = calls.find((call) => call.method === 'POST')!;
    expect(queuedActions.value.map((action) => action.id)).toEqual([post.body!.id]);
  });

  test('pending duplicate links the waiting referral', async () => {
    const waiting = referral({ id: '0190c000-0000-7000-8000-0000000000r1', status: 'pending', to_agency_id: 'lli' });
    const message = `This case already has a pending referral to this agency for this service: ${waiting.id}.`;
    referralServer((call) => {
      if (call.method === 'POST') return { status: 422, body: errorBody('referral_pending', message, { existing_id: waiting.id }) };
      if (call.method === 'GET' && call.path === `/cases/${CASE_ID}/referrals`) return { status: 200, body: [referral({ id: 'other', status: 'done' }), waiting] };
      return undefined;
    });
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    await chooseAgency('lli');
    fireEvent.click(screen.getByTestId('refer-submit'));
    const error = await screen.findByTestId('refer-error');
    expect(error.textContent).toContain(message);
    const link = await screen.findByTestId('refer-existing');
    expect(link.getAttribute('href')).toBe(`#/referrals/${waiting.id}`);
    expect(screen.queryByTestId('refer-outcome')).toBeNull();
  });

  test('forms a service provider cannot read are not offered', async () => {
    referralServer();
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    // Before a recipient is chosen, the roles that receive referrals decide (here only service providers).
    await screen.findByTestId('refer-forms');
    expect(offeredForms()).not.toContain('tracing');
    expect(offeredForms()).not.toContain('attachments');
    expect(offeredForms()).toContain('case_plan');
    const notOffered = screen.getByTestId('refer-forms-not-offered');
    expect(notOffered.querySelector('p')!.textContent).toBe("Not offered, because the recipient's role cannot read these forms:");
    expect([...notOffered.querySelectorAll('li')].map((item) => item.textContent)).toEqual(['Family tracing and reunification', 'Photos and documents']);
    await chooseService();
    await chooseAgency('lli');
    expect(offeredForms()).not.toContain('tracing');
    expect(offeredForms()).not.toContain('attachments');
  });

  test('chosen person\'s role decides the forms', async () => {
    // A receiving role that reads only identity and services, next to the service providers.
    const healthWorker: Role = {
      id: 'health_worker',
      name: { en: 'Health worker', bn: 'স্বাস্থ্যকর্মী' },
      description: { en: '', bn: '' },
      grants: [{ action: 'receive_referrals', scope: 'own' }],
      forms: { '*': 'none', basic_identity: 'read', services: 'read_write' },
    };
    config.roles.push(healthWorker);
    try {
      const withRoles: RecipientAgency[] = [
        {
          ...RECIPIENTS[0],
          users: [
            { id: NABIL.id, full_name: NABIL.full_name, role_id: 'service_provider' },
            { ...PRIYA, role_id: 'health_worker' },
          ],
        },
      ];
      const calls = referralServer((call) => (call.method === 'GET' ? { status: 200, body: withRoles } : undefined));
      await signIn(SADIA, makeCase(WITH_CONSENT));
      render(<Refer id={CASE_ID} />);
      await chooseService();
      await chooseAgency('lli');
      // Addressed to the agency: a form any of its receivers can read is offered.
      expect(offeredForms()).toContain('case_plan');
      expect(offeredForms()).not.toContain('tracing');

      fireEvent.click(screen.getAllByTestId('refer-user').find((input) => (input as HTMLInputElement).value === PRIYA.id)!);
      expect(offeredForms()).toEqual(['basic_identity', 'services']);
      expect(screen.getByTestId('refer-forms-not-offered').textContent).toContain('Case plan');

      fireEvent.click(screen.getByTestId('refer-submit'));
      await waitFor(() => expect(screen.getByTestId('refer-outcome').dataset.outcome).toBe('sent'));
      // The default forms she cannot read are not sent.
      const post = calls.find((call) => call.method === 'POST')!;
      expect(post.body!.shared_forms).toEqual(['basic_identity', 'services']);
    } finally {
      config.roles.splice(config.roles.indexOf(healthWorker), 1);
    }
  });

  test('agency without receivers cannot be sent to', async () => {
    const calls = referralServer();
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    await chooseService();
    // Sunrise Medical Relief is listed by the server without anyone who receives referrals.
    await chooseAgency('smr');
    expect(screen.getByTestId('refer-no-receivers').textContent).toBe(t('refer-no-receivers'));
    expect((screen.getByTestId('refer-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('refer'));
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.click(screen.getByText(t('refer-change-agency')));
    await chooseAgency('lli');
    expect(screen.queryByTestId('refer-no-receivers')).toBeNull();
    expect((screen.getByTestId('refer-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  test('Bangla screen has Bangla labels', async () => {
    referralServer();
    locale.value = 'bn';
    await signIn(SADIA, makeCase(WITH_CONSENT));
    render(<Refer id={CASE_ID} />);
    expect((await screen.findByText(t('refer-service'), { exact: false })).textContent).toContain('প্রয়োজনীয় সেবা');
    expect(screen.getByTestId('refer-submit').textContent).toBe('রেফারেল পাঠান');
  });
});
