// Transfer a case (its ownership moves when the recipient accepts), or ask its owner for it
// (a transfer request), and one transfer's page with accept, reject (reason required) and
// revoke. A transfer out of the case's agency follows the consent rule of referrals, and so does
// the owner's accept of a request from another agency, which moves the case there. A role that
// may assign cases can choose a person of its own agency from GET /users/assignable. Otherwise
// the transfer goes to the agency, where anyone who may take the case accepts it. Made offline,
// both wait in the action queue with the id made here.

import { useEffect, useState } from 'preact/hooks';
import { queueAction } from '../actions';
import { ApiError, NetworkError, api } from '../api';
import { caseName } from '../caseText';
import { agencyName, currentRole, StatusBadge, transferMode, transferStatusText } from '../components/CaseSharing';
import { CaseNotOnPhone } from '../components/CaseNotOnPhone';
import { ConsentNotice } from '../components/ConsentNotice';
import { scopeOf, type Configuration } from '../domain/config';
import { errorText } from '../errors';
import { formatInstant, label, t } from '../i18n';
import type { LocalCase } from '../model';
import {
  actOnTransfer,
  consentRule,
  type ConsentRule,
  fetchTransfer,
  knownTransfers,
  rememberTransfers,
  sendTransfer,
  sendTransferRequest,
  type NewTransfer,
  type TransferAction,
  type TransferView,
} from '../referrals';
import { href } from '../router';
import { session } from '../session';
import { cases, syncNow, syncState } from '../sync';
import { useCase } from '../useCase';
import { consentText } from './ReferralDetail';
import type { AssignableUser } from './Reassign';

export function Transfer({ id }: { id: string }) {
  const record = useCase(id);
  const current = session.value;
  const config = current?.configuration;
  if (record === undefined) return null;
  if (!record || !config || !current) return <CaseNotOnPhone />;
  const mode = transferMode(record, currentRole(), current.user.id);
  if (mode === 'request') return <TransferRequestForm record={record} />;
  if (mode === 'transfer') return <TransferForm record={record} config={config} />;
  return <CaseNotOnPhone />;
}

type Outcome = { kind: 'sent'; transfer: TransferView } | { kind: 'queued' };

function TransferForm({ record, config }: { record: LocalCase; config: Configuration }) {
  const online = syncState.value.online;
  const current = session.value!;
  const role = currentRole();
  const ownAgency = current.user.agency_id;
  const agencies = [...config.agencies.filter((agency) => agency.id === ownAgency), ...config.agencies.filter((agency) => agency.id !== ownAgency)];

  const [agencyId, setAgencyId] = useState('');
  const [people, setPeople] = useState<AssignableUser[] | null>(null);
  const [userId, setUserId] = useState('');
  const [note, setNote] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  // GET /users/assignable serves only roles that may assign cases.
  const canChoosePerson = !!role && scopeOf(role, 'assign') !== null && agencyId === ownAgency;

  useEffect(() => {
    setUserId('');
    if (!canChoosePerson || !online || people) return;
    api<AssignableUser[]>('GET', '/users/assignable')
      .then(setPeople)
      .catch(() => setPeople([]));
  }, [agencyId, online]);

  const rule = agencyId ? consentRule(record.data, record.owner_agency_id, agencyId, role) : undefined;
  const choosable = canChoosePerson ? (people ?? []).filter((user) => user.id !== record.owner_id) : [];

  async function submit(event: Event) {
    event.preventDefault();
    setTried(true);
    setFailure(null);
    if (!agencyId || rule === 'blocked') return;
    if (rule === 'override' && overrideReason.trim() === '') return;
    const body: Omit<NewTransfer, 'id'> = { to_agency_id: agencyId };
    if (userId) body.to_user_id = userId;
    if (note.trim()) body.note = note.trim();
    if (rule === 'override') body.consent_override_reason = overrideReason.trim();
    const transferId = crypto.randomUUID();
    setWorking(true);
    try {
      if (!online) {
        await queueAction('transfer', record.id, transferId, { ...body });
        setOutcome({ kind: 'queued' });
        return;
      }
      const transfer = await sendTransfer(record.id, { id: transferId, ...body });
      rememberTransfers([transfer]);
      setOutcome({ kind: 'sent', transfer });
    } catch (error) {
      if (error instanceof NetworkError) {
        await queueAction('transfer', record.id, transferId, { ...body });
        setOutcome({ kind: 'queued' });
      } else {
        setFailure(errorText(error));
      }
    } finally {
      setWorking(false);
    }
  }

  if (outcome) return <TransferOutcome record={record} outcome={outcome} />;
  return (
    <form class="card" onSubmit={submit} aria-labelledby="transfer-title" data-testid="transfer-form" noValidate>
      <h1 id="transfer-title">{t('transfer-title', { name: caseName(record) })}</h1>
      <p class="hint">{t('transfer-intro')}</p>
      {!online && <p class="notice">{t('transfer-offline')}</p>}
      <div class="field">
        <label for="transfer-agency">
          {t('transfer-agency')} <span class="required-mark">*</span>
        </label>
        <select
          id="transfer-agency"
          data-testid="transfer-agency"
          value={agencyId}
          aria-invalid={tried && !agencyId ? 'true' : undefined}
          onChange={(event) => setAgencyId((event.target as HTMLSelectElement).value)}
        >
          <option value="">{t('transfer-choose-agency')}</option>
          {agencies.map((agency) => (
            <option value={agency.id} key={agency.id}>
              {label(agency.name)}
            </option>
          ))}
        </select>
        {tried && !agencyId && <p class="error">{t('transfer-agency-missing')}</p>}
      </div>

      {canChoosePerson && online && choosable.length > 0 ? (
        <div class="field">
          <label for="transfer-user">{t('transfer-person')}</label>
          <p class="hint">{t('transfer-choose-person')}</p>
          <select id="transfer-user" data-testid="transfer-user" value={userId} onChange={(event) => setUserId((event.target as HTMLSelectElement).value)}>
            <option value="">{t('transfer-anyone', { name: agencyName(agencyId) })}</option>
            {choosable.map((user) => (
              <option value={user.id} key={user.id}>
                {user.full_name} ({user.username})
              </option>
            ))}
          </select>
        </div>
      ) : (
        agencyId && <p class="hint">{t('transfer-to-agency-hint', { name: agencyName(agencyId) })}</p>
      )}
      {canChoosePerson && !online && <p class="hint">{t('transfer-person-offline')}</p>}

      {agencyId && (
        <ConsentNotice caseId={record.id} data={record.data} rule={rule} reason={overrideReason} onReason={setOverrideReason} reasonMissing={tried} />
      )}

      <div class="field">
        <label for="transfer-note">{t('transfer-note')}</label>
        <textarea id="transfer-note" maxLength={2000} value={note} onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} />
      </div>
      {failure && (
        <p class="notice error" role="alert" data-testid="transfer-error">
          {failure}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="primary" disabled={working || rule === 'blocked'} data-testid="transfer-submit">
          {online ? t('transfer-send') : t('refer-save-offline')}
        </button>
        <a class="button" href={href({ name: 'case', id: record.id })}>
          {t('case-cancel')}
        </a>
      </div>
    </form>
  );
}

function TransferRequestForm({ record }: { record: LocalCase }) {
  const online = syncState.value.online;
  const [note, setNote] = useState('');
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setFailure(null);
    const requestId = crypto.randomUUID();
    const body: { note?: string } = note.trim() ? { note: note.trim() } : {};
    setWorking(true);
    try {
      if (!online) {
        await queueAction('transfer_request', record.id, requestId, body);
        setOutcome({ kind: 'queued' });
        return;
      }
      const transfer = await sendTransferRequest(record.id, { id: requestId, ...body });
      rememberTransfers([transfer]);
      setOutcome({ kind: 'sent', transfer });
    } catch (error) {
      if (error instanceof NetworkError) {
        await queueAction('transfer_request', record.id, requestId, body);
        setOutcome({ kind: 'queued' });
      } else {
        setFailure(errorText(error));
      }
    } finally {
      setWorking(false);
    }
  }

  if (outcome) return <TransferOutcome record={record} outcome={outcome} />;
  return (
    <form class="card" onSubmit={submit} aria-labelledby="transfer-request-title" data-testid="transfer-request-form">
      <h1 id="transfer-request-title">{t('transfer-request-title', { name: caseName(record) })}</h1>
      <p class="hint">{t('transfer-request-intro')}</p>
      {!online && <p class="notice">{t('transfer-offline')}</p>}
      <div class="field">
        <label for="transfer-request-note">{t('transfer-request-note')}</label>
        <textarea id="transfer-request-note" maxLength={2000} value={note} onInput={(event) => setNote((event.target as HTMLTextAreaElement).value)} />
      </div>
      {failure && (
        <p class="notice error" role="alert" data-testid="transfer-error">
          {failure}
        </p>
      )}
      <div class="button-row">
        <button type="submit" class="primary" disabled={working} data-testid="transfer-request-submit">
          {online ? t('transfer-request-send') : t('refer-save-offline')}
        </button>
        <a class="button" href={href({ name: 'case', id: record.id })}>
          {t('case-cancel')}
        </a>
      </div>
    </form>
  );
}

function TransferOutcome({ record, outcome }: { record: LocalCase; outcome: Outcome }) {
  return (
    <section class="card" data-testid="transfer-outcome" data-outcome={outcome.kind}>
      {outcome.kind === 'sent' ? (
        <p class="notice ok" role="status">
          {outcome.transfer.kind === 'request' ? t('transfer-request-sent') : t('transfer-sent', { name: agencyName(outcome.transfer.to_agency_id) })}
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
      </p>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// One transfer

export function TransferDetail({ id }: { id: string }) {
  const online = syncState.value.online;
  const cached = knownTransfers.value.get(id);
  const [transfer, setTransfer] = useState<TransferView | null | undefined>(cached);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function reload(): Promise<TransferView | null> {
    const fresh = await fetchTransfer(id, transfer?.case_id ?? cached?.case_id);
    setTransfer(fresh);
    return fresh;
  }

  useEffect(() => {
    if (!online) return;
    reload().catch((failure) => setLoadError(errorText(failure)));
  }, [id, online]);

  if (transfer === undefined) return <p class="card">{loadError ?? (online ? t('referral-loading') : t('referral-offline-unknown'))}</p>;
  if (transfer === null) {
    return (
      <section class="card" data-testid="transfer-gone">
        <p>{t('transfer-gone')}</p>
        <a href={href({ name: 'referrals' })}>{t('referral-back')}</a>
      </section>
    );
  }
  return <TransferCard transfer={transfer} online={online} reload={reload} onChanged={setTransfer} />;
}

function TransferCard(props: { transfer: TransferView; online: boolean; reload: () => Promise<TransferView | null>; onChanged: (next: TransferView) => void }) {
  const { transfer, online } = props;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const onPhone = cases.value.some((record) => record.id === transfer.case_id);
  const [open, setOpen] = useState<TransferAction | null>(null);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const record = cases.value.find((entry) => entry.id === transfer.case_id);
  const rule = acceptConsentRule(transfer, record);

  async function confirm() {
    if (!open) return;
    setTried(true);
    if (open === 'reject' && reason.trim() === '') return;
    if (open === 'accept' && rule === 'blocked') return;
    if (open === 'accept' && rule === 'override' && overrideReason.trim() === '') return;
    setWorking(true);
    setMessage(null);
    try {
      const override = open === 'accept' && rule === 'override' ? overrideReason.trim() : undefined;
      const next = await actOnTransfer(transfer, open, open === 'reject' ? reason.trim() : undefined, override);
      rememberTransfers([next]);
      props.onChanged(next);
      setOpen(null);
      setMessage({ ok: true, text: t('transfer-now', { value: transferStatusText(next.status) }) });
      // An accepted transfer moves the case between phones.
      void syncNow();
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'state_changed') {
        setOpen(null);
        const fresh = await props.reload().catch(() => undefined);
        setMessage({ ok: false, text: fresh ? t('transfer-now', { value: transferStatusText(fresh.status) }) : errorText(failure) });
      } else {
        setMessage({ ok: false, text: failure instanceof NetworkError ? t('referral-needs-connection') : errorText(failure) });
      }
    } finally {
      setWorking(false);
    }
  }

  const title = transfer.child_name || transfer.display_id;
  // NOTE: the server lists accept and reject for the sender of a transfer addressed to the
  // sender's own agency. The screen drops them, because a sender never decides their own offer.
  const mine = transfer.from_user.id === session.value?.user.id;
  const allowed = mine ? transfer.can.filter((action) => action === 'revoke') : transfer.can;
  return (
    <article class="card" aria-labelledby="transfer-detail-title" data-testid="transfer-detail" data-status={transfer.status}>
      <h1 id="transfer-detail-title">{transfer.kind === 'request' ? t('sharing-transfer-request') : t('sharing-transfer')}</h1>
      <p style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', flexWrap: 'wrap' }}>
        <StatusBadge status={transfer.status} kind="transfer" />
        {onPhone ? <a href={href({ name: 'case', id: transfer.case_id })}>{title}</a> : <span>{title}</span>}
        {transfer.child_name && <span class="badge">{transfer.display_id}</span>}
      </p>
      <dl class="values stacked">
        <dt>{t('referral-from')}</dt>
        <dd>
          {transfer.from_user.full_name} · {agencyName(transfer.from_agency_id)}
        </dd>
        <dt>{t('referral-to')}</dt>
        <dd>{transfer.to_user ? `${transfer.to_user.full_name} · ${agencyName(transfer.to_agency_id)}` : t('referral-to-anyone', { name: agencyName(transfer.to_agency_id) })}</dd>
        {transfer.kind === 'transfer' && (
          <>
            <dt>{t('referral-consent')}</dt>
            <dd>{consentText(transfer.consent_basis)}</dd>
          </>
        )}
        {transfer.note && (
          <>
            <dt>{t('referral-note')}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{transfer.note}</dd>
          </>
        )}
        {transfer.reason && (
          <>
            <dt>{t('referral-reason')}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{transfer.reason}</dd>
          </>
        )}
        <dt>{t('referral-sent-at')}</dt>
        <dd>{formatInstant(Date.parse(transfer.created_at), offset)}</dd>
      </dl>
      {message && (
        <p class={message.ok ? 'notice ok' : 'notice error'} role="status" data-testid="transfer-message" style={{ marginTop: '0.75rem' }}>
          {message.text}
        </p>
      )}
      {allowed.length > 0 && !online && <p class="notice">{t('referral-needs-connection')}</p>}
      {allowed.length > 0 && !open && (
        <div class="button-row" style={{ marginTop: '0.75rem' }}>
          {allowed.map((action) => (
            <button
              type="button"
              key={action}
              class={transferButtonClass(action)}
              disabled={!online || working}
              onClick={() => {
                setOpen(action);
                setReason('');
                setOverrideReason('');
                setTried(false);
                setMessage(null);
              }}
              data-testid={`transfer-${action}`}
            >
              {transferActionText(action)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <div class="card" style={{ marginTop: '0.75rem' }} data-testid="transfer-confirm">
          <p style={{ fontWeight: 600 }}>
            {open === 'accept'
              ? transfer.kind === 'request'
                ? t('transfer-request-accept-question', { name: transfer.from_user.full_name })
                : t('transfer-accept-question')
              : open === 'reject'
                ? t('transfer-reject-question')
                : t('transfer-revoke-question')}
          </p>
          {open === 'accept' && record && rule && (
            <ConsentNotice caseId={record.id} data={record.data} rule={rule} reason={overrideReason} onReason={setOverrideReason} reasonMissing={tried} />
          )}
          {open === 'reject' && (
            <div class="field">
              <label for="transfer-reason">
                {t('referral-reject-reason')} <span class="required-mark">*</span>
              </label>
              <textarea
                id="transfer-reason"
                data-testid="transfer-reason"
                maxLength={2000}
                value={reason}
                aria-invalid={tried && reason.trim() === '' ? 'true' : undefined}
                onInput={(event) => setReason((event.target as HTMLTextAreaElement).value)}
              />
              {tried && reason.trim() === '' && <p class="error">{t('referral-reason-missing')}</p>}
            </div>
          )}
          <div class="button-row">
            <button
              type="button"
              class={open === 'accept' ? 'primary' : 'danger'}
              disabled={working || !online || (open === 'accept' && rule === 'blocked')}
              onClick={() => void confirm()}
              data-testid="transfer-confirm-yes"
            >
              {transferActionText(open)}
            </button>
            <button type="button" disabled={working} onClick={() => setOpen(null)}>
              {t('referral-keep')}
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

/**
 * Returns the consent rule for accepting a transfer request, which moves the case to the
 * requester's agency. Returns undefined for an offered transfer, whose consent was settled when
 * it was sent, and for a case that is not on the phone. The server checks the rule again and
 * returns 422 `consent_missing`, which the screen shows like any other error.
 */
export function acceptConsentRule(transfer: TransferView, record: LocalCase | undefined): ConsentRule | undefined {
  if (transfer.kind !== 'request' || !record) return undefined;
  return consentRule(record.data, record.owner_agency_id, transfer.from_agency_id, currentRole());
}

function transferButtonClass(action: TransferAction): string | undefined {
  if (action === 'accept') return 'primary';
  if (action === 'reject') return 'danger';
  return undefined;
}

function transferActionText(action: TransferAction): string {
  switch (action) {
    case 'accept':
      return t('transfer-accept');
    case 'reject':
      return t('transfer-reject');
    case 'revoke':
      return t('transfer-revoke');
  }
}
