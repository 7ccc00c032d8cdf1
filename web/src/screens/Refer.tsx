// Refer a case to a service provider: the service, the agency (those that provide the service
// first) and optionally a person there, the forms the recipient may read, a note, and the
// consent rule. Online the agencies and their receivers come from GET /referral-recipients.
// The forms offered are those the recipient's role can read (see `recipientRoles`).
// Offline they come from the configuration, without people, and the referral waits in the
// action queue with the id made here, so sending it twice makes one referral.

import { useEffect, useState } from 'preact/hooks';
import { queueAction } from '../actions';
import { ApiError, NetworkError } from '../api';
import { caseName } from '../caseText';
import { agencyName, currentRole, formName, serviceName } from '../components/CaseSharing';
import { ConsentNotice } from '../components/ConsentNotice';
import { CaseNotOnPhone } from '../components/CaseNotOnPhone';
import { findLookup, formAccess, type Configuration } from '../domain/config';
import { errorText } from '../errors';
import { label, t } from '../i18n';
import type { LocalCase } from '../model';
import {
  ALWAYS_SHARED_FORM,
  caseReferrals,
  consentRule,
  DEFAULT_SHARED_FORMS,
  fetchRecipients,
  readableByAny,
  recipientRoles,
  rememberReferrals,
  sendReferral,
  type NewReferral,
  type RecipientAgency,
  type ReferralView,
} from '../referrals';
import { href } from '../router';
import { session } from '../session';
import { syncState } from '../sync';
import { useCase } from '../useCase';

export function Refer({ id }: { id: string }) {
  const record = useCase(id);
  const config = session.value?.configuration;
  if (record === undefined) return null;
  if (!record || !config) return <CaseNotOnPhone />;
  return <ReferForm record={record} config={config} />;
}

/** Returns the agencies of the configuration as recipients, those providing `service` first.
 * Offline the phone has only this list, without the people who receive referrals. */
export function recipientsFromConfiguration(config: Configuration, service: string): RecipientAgency[] {
  const agencies = config.agencies.map((agency) => ({
    agency_id: agency.id,
    agency_name: agency.name,
    provides: agency.services.includes(service),
    users: [],
  }));
  return [...agencies.filter((agency) => agency.provides), ...agencies.filter((agency) => !agency.provides)];
}

type Outcome = { kind: 'sent'; referral: ReferralView } | { kind: 'queued' };

function ReferForm({ record, config }: { record: LocalCase; config: Configuration }) {
  const online = syncState.value.online;
  const role = currentRole();
  const services = findLookup(config, 'service_type')?.options ?? [];
  const shareable = config.forms.filter((form) => form.id !== ALWAYS_SHARED_FORM && (!role || formAccess(role, form.id) !== 'none'));

  const [service, setService] = useState('');
  const [recipients, setRecipients] = useState<{ service: string; list: RecipientAgency[]; fromServer: boolean } | null>(null);
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [userId, setUserId] = useState('');
  const [forms, setForms] = useState<string[]>(DEFAULT_SHARED_FORMS.filter((form) => shareable.some((entry) => entry.id === form)));
  const [note, setNote] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<{ text: string; existing?: ReferralView } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    if (!service) return;
    let live = true;
    setAgencyId(null);
    setUserId('');
    if (!online) {
      setRecipients({ service, list: recipientsFromConfiguration(config, service), fromServer: false });
      return;
    }
    setRecipients(null);
    fetchRecipients(service)
      .then((list) => live && setRecipients({ service, list, fromServer: true }))
      .catch((error) => {
        if (!live) return;
        // When the request fails, the configuration's agencies still allow a referral to an agency.
        setRecipients({ service, list: recipientsFromConfiguration(config, service), fromServer: false });
        if (!(error instanceof NetworkError)) setFailure({ text: errorText(error) });
      });
    return () => {
      live = false;
    };
  }, [service, online]);

  const agency = recipients?.list.find((entry) => entry.agency_id === agencyId);
  const rule = agency ? consentRule(record.data, record.owner_agency_id, agency.agency_id, role) : undefined;
  // Only forms the recipient's role can read are offered, and the others are listed with the reason.
  const receivingRoles = recipientRoles(config, agency, userId);
  const offered = shareable.filter((form) => readableByAny(receivingRoles, form.id));
  const notOffered = shareable.filter((form) => !readableByAny(receivingRoles, form.id));
  const sharedForms = forms.filter((id) => offered.some((form) => form.id === id));
  // The server rejects a referral to an agency where nobody may receive it (422 no_receivers).
  const nobodyReceives = !!agency && recipients?.fromServer === true && agency.users.length === 0;

  async function submit(event: Event) {
    event.preventDefault();
    setTried(true);
    setFailure(null);
    if (!service || !agency || rule === 'blocked' || nobodyReceives) return;
    if (rule === 'override' && overrideReason.trim() === '') return;
    const body: Omit<NewReferral, 'id'> = { to_agency_id: agency.agency_id, service_type: service, shared_forms: sharedForms };
    if (userId) body.to_user_id = userId;
    if (note.trim()) body.note = note.trim();
    if (rule === 'override') body.consent_override_reason = overrideReason.trim();
    const referralId = crypto.randomUUID();

    setWorking(true);
    try {
      if (!online) {
        await queueAction('referral', record.id, referralId, { ...body });
        setOutcome({ kind: 'queued' });
        return;
      }
      const referral = await sendReferral(record.id, { id: referralId, ...body });
      rememberReferrals([referral]);
      setOutcome({ kind: 'sent', referral });
    } catch (error) {
      if (error instanceof NetworkError) {
        // The request may have arrived. The queue sends it again with the same id, and the
        // server then returns the referral it made instead of making a second one.
        await queueAction('referral', record.id, referralId, { ...body });
        setOutcome({ kind: 'queued' });
      } else if (error instanceof ApiError && error.code === 'referral_pending') {
        const existing = await findPending(record.id, agency.agency_id, service);
        setFailure({ text: errorText(error), existing });
      } else {
        setFailure({ text: errorText(error) });
      }
    } finally {
      setWorking(false);
    }
  }

  if (outcome) return <ReferOutcome record={record} outcome={outcome} />;

  const name = caseName(record);
  return (
    <form class="card" onSubmit={submit} aria-labelledby="refer-title" data-testid="refer" noValidate>
      <h1 id="refer-title">{t('refer-title', { name })}</h1>
      {record.display_id && <p class="hint">{record.display_id}</p>}
      {!online && <p class="notice">{t('refer-offline')}</p>}

      <div class="field">
        <label for="refer-service">
          {t('refer-service')} <span class="required-mark">*</span>
        </label>
        <select
          id="refer-service"
          data-testid="refer-service"
          value={service}
          aria-invalid={tried && !service ? 'true' : undefined}
          onChange={(event) => setService((event.target as HTMLSelectElement).value)}
        >
          <option value="">{t('refer-choose-service')}</option>
          {services.map((option) => (
            <option value={option.id} key={option.id}>
              {label(option.label)}
            </option>
          ))}
        </select>
        {tried && !service && <p class="error">{t('refer-service-missing')}</p>}
      </div>

      {service && !recipients && <p class="hint">{t('refer-loading')}</p>}
      {service && recipients && (
        <AgencyChoice
          recipients={recipients.list}
          fromServer={recipients.fromServer}
          agencyId={agencyId}
          userId={userId}
          missing={tried && !agency}
          onAgency={(next) => {
            setAgencyId(next);
            setUserId('');
          }}
          onUser={setUserId}
        />
      )}

      <fieldset data-testid="refer-forms">
        <legend>{t('refer-forms')}</legend>
        <p class="hint">{t('refer-forms-hint', { name: formName(ALWAYS_SHARED_FORM) })}</p>
        {offered.map((form) => (
          <label class="choice" key={form.id}>
            <input
              type="checkbox"
              value={form.id}
              checked={forms.includes(form.id)}
              onChange={(event) => {
                const checked = (event.target as HTMLInputElement).checked;
                setForms(checked ? [...forms, form.id] : forms.filter((entry) => entry !== form.id));
              }}
            />
            {label(form.name)}
          </label>
        ))}
        {notOffered.length > 0 && (
          // A list, because form names such as "Photos and documents" would run together in a sentence.
          <div class="hint not-offered" data-testid="refer-forms-not-offered">
            <p>{t('refer-forms-not-offered')}</p>
            <ul>
              {notOffered.map((form) => (
                <li key={form.id}>{label(form.name)}</li>
              ))}
            </ul>
          </div>
        )}
      </fieldset>

      {agency && (
        <ConsentNotice
          caseId={record.id}
          data={record.data}
          rule={rule}
          reason={overrideReason}
          onReason={setOverrideReason}
          reasonMissing={tried}
        />
      )}

      <div class="field">
        <label for="refer-note">{t('refer-note')}</label>
        <p class="hint">{t('refer-note-hint')}</p>
        <textarea id="refer-note" maxLength={2000} value={note} onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} />
      </div>

      {failure && (
        <div class="notice error" role="alert" data-testid="refer-error">
          <p style={{ margin: 0 }}>{failure.text}</p>
          {failure.existing && (
            <a href={href({ name: 'referral', id: failure.existing.id })} data-testid="refer-existing">
              {t('refer-open-existing')}
            </a>
          )}
        </div>
      )}
      <div class="button-row">
        <button type="submit" class="primary" disabled={working || rule === 'blocked' || nobodyReceives} data-testid="refer-submit">
          {online ? t('refer-send') : t('refer-save-offline')}
        </button>
        <a class="button" href={href({ name: 'case', id: record.id })}>
          {t('case-cancel')}
        </a>
      </div>
    </form>
  );
}

/** Shows the agencies as large buttons. Once one is chosen, shows it alone with its people and a
 * button to choose another. */
function AgencyChoice(props: {
  recipients: RecipientAgency[];
  fromServer: boolean;
  agencyId: string | null;
  userId: string;
  missing: boolean;
  onAgency: (id: string | null) => void;
  onUser: (id: string) => void;
}) {
  const chosen = props.recipients.find((entry) => entry.agency_id === props.agencyId);
  if (chosen) {
    return (
      <fieldset data-testid="refer-recipient">
        <legend>{t('refer-agency')}</legend>
        <p style={{ fontWeight: 600, margin: '0 0 0.3rem' }} data-testid="refer-chosen-agency">
          {label(chosen.agency_name)}
        </p>
        <button type="button" onClick={() => props.onAgency(null)}>
          {t('refer-change-agency')}
        </button>
        {props.fromServer && chosen.users.length > 0 && (
          <div style={{ marginTop: '0.6rem' }}>
            <p class="hint">{t('refer-person-hint')}</p>
            <label class="choice">
              <input type="radio" name="refer-user" checked={props.userId === ''} onChange={() => props.onUser('')} />
              {t('refer-anyone', { name: label(chosen.agency_name) })}
            </label>
            {chosen.users.map((user) => (
              <label class="choice" key={user.id}>
                <input type="radio" name="refer-user" data-testid="refer-user" value={user.id} checked={props.userId === user.id} onChange={() => props.onUser(user.id)} />
                {user.full_name}
              </label>
            ))}
          </div>
        )}
        {props.fromServer && chosen.users.length === 0 && (
          <p class="notice" data-testid="refer-no-receivers">
            {t('refer-no-receivers')}
          </p>
        )}
        {!props.fromServer && <p class="hint">{t('refer-person-offline')}</p>}
      </fieldset>
    );
  }
  const providers = props.recipients.filter((entry) => entry.provides);
  const others = props.recipients.filter((entry) => !entry.provides);
  const list = (entries: RecipientAgency[]) => (
    <ul class="pick-list">
      {entries.map((entry) => (
        <li key={entry.agency_id}>
          <button type="button" class="pick" onClick={() => props.onAgency(entry.agency_id)} data-testid="refer-agency" data-agency-id={entry.agency_id}>
            <span class="name">{label(entry.agency_name)}</span>
            <span class="hint">{entry.provides ? t('refer-provides') : t('refer-not-listed')}</span>
          </button>
        </li>
      ))}
    </ul>
  );
  return (
    <fieldset data-testid="refer-recipient">
      <legend>
        {t('refer-agency')} <span class="required-mark">*</span>
      </legend>
      {props.missing && <p class="error">{t('refer-agency-missing')}</p>}
      {list(providers)}
      {/* The agencies that do not list the service stay folded, so the likely ones fit a phone screen. */}
      {others.length > 0 && providers.length > 0 && (
        <details style={{ marginTop: '0.5rem' }} data-testid="refer-other-agencies">
          <summary style={{ minHeight: '44px', display: 'flex', alignItems: 'center' }}>{t('refer-other-agencies', { count: others.length })}</summary>
          {list(others)}
        </details>
      )}
      {others.length > 0 && providers.length === 0 && list(others)}
    </fieldset>
  );
}

function ReferOutcome({ record, outcome }: { record: LocalCase; outcome: Outcome }) {
  return (
    <section class="card" data-testid="refer-outcome" data-outcome={outcome.kind}>
      <h1>{t('refer-done-title')}</h1>
      {outcome.kind === 'sent' ? (
        <p class="notice ok" role="status">
          {t('refer-sent', { name: agencyName(outcome.referral.to_agency_id), detail: serviceName(outcome.referral.service_type) })}
        </p>
      ) : (
        <p class="notice" role="status">
          {t('refer-queued')}
        </p>
      )}
      <p class="button-row">
        <a class="button" href={href({ name: 'case', id: record.id })}>
          {t('refer-back-to-case')}
        </a>
        {outcome.kind === 'sent' && (
          <a class="button" href={href({ name: 'referral', id: outcome.referral.id })}>
            {t('refer-open-sent')}
          </a>
        )}
      </p>
    </section>
  );
}

/** Finds the pending referral that blocked a new one, to link to it. Returns undefined when the
 * case's referrals cannot be read. */
async function findPending(caseId: string, agencyId: string, service: string): Promise<ReferralView | undefined> {
  try {
    const list = await caseReferrals(caseId);
    rememberReferrals(list);
    return list.find((referral) => referral.status === 'pending' && referral.to_agency_id === agencyId && referral.service_type === service);
  } catch {
    return undefined;
  }
}
