// The "Sharing" section of the case view: the case's referrals and transfers with their status,
// the ones made on this phone and still waiting to be sent, and the buttons to refer, transfer
// or ask for the case. The lists come from the server, so offline the section shows only what
// waits on this phone. This file also contains the small pieces the referral screens share:
// status words and colours, agency and service names, and the sender's view of a queued action.

import { useEffect, useState } from 'preact/hooks';
import { actionsOf, dismissAction, incomingReferrals, type QueuedAction } from '../actions';
import { ApiError } from '../api';
import { optionLabel } from '../caseText';
import { scopeOf, type Role } from '../domain/config';
import { errorText } from '../errors';
import { formatDate, label, t, verbatim } from '../i18n';
import type { LocalCase } from '../model';
import {
  ALWAYS_SHARED_FORM,
  caseReferrals,
  caseTransfers,
  OPEN_REFERRAL_STATUSES,
  rememberReferrals,
  rememberTransfers,
  sharedFormsOf,
  type ReferralStatus,
  type ReferralView,
  type TransferStatus,
  type TransferView,
} from '../referrals';
import { href } from '../router';
import { session } from '../session';
import { syncState } from '../sync';

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Status colours by the classes of the risk badge: amber waits for someone, green is going or
 * went well, red was refused, grey was called off. */
const STATUS_TONE: Record<ReferralStatus | TransferStatus, string> = {
  pending: 'medium',
  accepted: 'low',
  done: 'low',
  rejected: 'high',
  revoked: 'none',
  ended: 'none',
};

export function referralStatusText(status: ReferralStatus): string {
  switch (status) {
    case 'pending':
      return t('referral-status-pending');
    case 'accepted':
      return t('referral-status-accepted');
    case 'rejected':
      return t('referral-status-rejected');
    case 'done':
      return t('referral-status-done');
    case 'revoked':
      return t('referral-status-revoked');
    case 'ended':
      return t('referral-status-ended');
  }
}

export function transferStatusText(status: TransferStatus): string {
  switch (status) {
    case 'pending':
      return t('transfer-status-pending');
    case 'accepted':
      return t('transfer-status-accepted');
    case 'rejected':
      return t('transfer-status-rejected');
    case 'revoked':
      return t('transfer-status-revoked');
  }
}

/** Renders a status by colour and by word, so it reads without colour vision or in sunlight. */
export function StatusBadge({ status, kind }: { status: ReferralStatus | TransferStatus; kind: 'referral' | 'transfer' }) {
  const text = kind === 'referral' ? referralStatusText(status as ReferralStatus) : transferStatusText(status as TransferStatus);
  return (
    <span class={`risk ${STATUS_TONE[status] ?? 'none'}`} data-testid="status" data-status={status}>
      {text}
    </span>
  );
}

/** Returns the name of agency `id` in the reader's language, or the id when the configuration lacks it. */
export function agencyName(id: string): string {
  const agency = session.value?.configuration?.agencies.find((entry) => entry.id === id);
  return agency ? label(agency.name) : id;
}

export function serviceName(id: string): string {
  return optionLabel(session.value?.configuration ?? null, 'service_type', id);
}

/** Returns the name of form `id` in the reader's language. */
export function formName(id: string): string {
  const form = session.value?.configuration?.forms.find((entry) => entry.id === id);
  return form ? label(form.name) : id;
}

/** Returns the role of the signed-in user, as the configuration in force defines it. */
export function currentRole(): Role | undefined {
  const current = session.value;
  return current?.configuration?.roles.find((entry) => entry.id === current.user.role_id);
}

/** Returns what the signed-in user may start about the ownership of case `record`. The owner, and
 * a role whose transfer scope reaches beyond its own cases, get `transfer`. Someone else who works
 * on the case gets `request`, to ask the owner for it. Everyone else gets null. */
export function transferMode(record: LocalCase, role: Role | undefined, userId: string): 'transfer' | 'request' | null {
  if (!role) return null;
  const scope = scopeOf(role, 'transfer');
  const isOwner = record.owner_id === userId;
  if (scope !== null && (isOwner || scope !== 'own')) return 'transfer';
  if (!isOwner && sharedFormsOf(record) === null && scopeOf(role, 'write') !== null && scopeOf(role, 'create') !== null) return 'request';
  return null;
}

/** Describes a referral or transfer made on this phone that the server has not received, or rejected. */
export function QueuedActionItem({ action }: { action: QueuedAction }) {
  const body = action.body as { to_agency_id?: string; service_type?: string };
  const what =
    action.kind === 'referral'
      ? t('sharing-referral-to', { name: agencyName(body.to_agency_id ?? ''), detail: serviceName(body.service_type ?? '') })
      : action.kind === 'transfer'
        ? t('sharing-transfer-to', { name: agencyName(body.to_agency_id ?? '') })
        : t('sharing-request-sent');
  return (
    <li class="card" data-testid="queued-action" data-state={action.state}>
      <p style={{ margin: 0 }}>{what}</p>
      {action.state === 'pending' ? (
        <p class="badge pending" style={{ margin: '0.3rem 0 0' }}>
          {t('sharing-waiting-to-send')}
        </p>
      ) : (
        <>
          <p class="notice error" style={{ margin: '0.3rem 0' }}>
            {t('sharing-not-sent', { reason: verbatim(action.error?.message || t('error-rejected')) })}
          </p>
          <button type="button" onClick={() => void dismissAction(action.id)}>
            {t('sharing-dismiss')}
          </button>
        </>
      )}
    </li>
  );
}

/** Renders one referral as a row of a list: service, the other side, status, and the date of the last change. */
export function ReferralItem({ referral, incoming, showChild = false }: { referral: ReferralView; incoming: boolean; showChild?: boolean }) {
  const other = incoming
    ? t('sharing-from', { name: referral.from_user.full_name, detail: agencyName(referral.from_agency_id) })
    : referral.to_user
      ? t('sharing-to-person', { name: referral.to_user.full_name, detail: agencyName(referral.to_agency_id) })
      : t('sharing-to-agency', { name: agencyName(referral.to_agency_id) });
  return (
    <li>
      <a class="button pick" href={href({ name: 'referral', id: referral.id })} data-testid="referral" data-referral-id={referral.id} style={{ textDecoration: 'none' }}>
        {showChild && <ChildLine name={referral.child_name} displayId={referral.display_id} />}
        <span class="name">{serviceName(referral.service_type)}</span>
        <span class="hint">{other}</span>
        <span style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', flexWrap: 'wrap' }}>
          <StatusBadge status={referral.status} kind="referral" />
          <span class="hint">{formatDate(referral.updated_at.slice(0, 10))}</span>
        </span>
      </a>
    </li>
  );
}

/** Renders the child a list row is about: the name when the reader may see it, and the short case id. */
function ChildLine({ name, displayId }: { name?: string | null; displayId: string }) {
  return <span class="hint">{name ? `${name} · ${displayId}` : displayId}</span>;
}

/** Renders one transfer or transfer request as a row of a list. */
export function TransferItem({ transfer, incoming, showChild = false }: { transfer: TransferView; incoming: boolean; showChild?: boolean }) {
  const what = transfer.kind === 'request' ? t('sharing-transfer-request') : t('sharing-transfer');
  const other = incoming
    ? t('sharing-from', { name: transfer.from_user.full_name, detail: agencyName(transfer.from_agency_id) })
    : transfer.to_user
      ? t('sharing-to-person', { name: transfer.to_user.full_name, detail: agencyName(transfer.to_agency_id) })
      : t('sharing-to-agency', { name: agencyName(transfer.to_agency_id) });
  return (
    <li>
      <a class="button pick" href={href({ name: 'transfer-view', id: transfer.id })} data-testid="transfer" data-transfer-id={transfer.id} style={{ textDecoration: 'none' }}>
        {showChild && <ChildLine name={transfer.child_name} displayId={transfer.display_id} />}
        <span class="name">{what}</span>
        <span class="hint">{other}</span>
        <span style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', flexWrap: 'wrap' }}>
          <StatusBadge status={transfer.status} kind="transfer" />
          <span class="hint">{formatDate(transfer.updated_at.slice(0, 10))}</span>
        </span>
      </a>
    </li>
  );
}

// ---------------------------------------------------------------------------------------------
// The section

interface Lists {
  referrals: ReferralView[] | null;
  transfers: TransferView[] | null;
  error: string | null;
}

export function CaseSharing({ record }: { record: LocalCase }) {
  const current = session.value!;
  const role = currentRole();
  const online = syncState.value.online;
  const [lists, setLists] = useState<Lists>({ referrals: null, transfers: null, error: null });
  const queued = actionsOf(record.id).filter((action) => action.kind === 'referral' || action.kind === 'transfer' || action.kind === 'transfer_request');
  const queuedCount = queued.length;

  useEffect(() => {
    if (!online) return;
    let live = true;
    void Promise.allSettled([caseReferrals(record.id), caseTransfers(record.id)]).then(([referrals, transfers]) => {
      if (!live) return;
      const failure = [referrals, transfers].find((result) => result.status === 'rejected' && !(result.reason instanceof ApiError && result.reason.status === 404));
      if (referrals.status === 'fulfilled') rememberReferrals(referrals.value);
      if (transfers.status === 'fulfilled') rememberTransfers(transfers.value);
      setLists({
        referrals: referrals.status === 'fulfilled' ? referrals.value : null,
        transfers: transfers.status === 'fulfilled' ? transfers.value : null,
        error: failure && failure.status === 'rejected' ? errorText(failure.reason) : null,
      });
    });
    return () => {
      live = false;
    };
  }, [record.id, record.version, online, queuedCount]);

  const canRefer = !!role && scopeOf(role, 'refer') !== null && record.status === 'open' && sharedFormsOf(record) === null;
  const mode = record.status === 'open' ? transferMode(record, role, current.user.id) : null;
  const referrals = lists.referrals ?? [];
  const transfers = lists.transfers ?? [];
  const nothing = queued.length === 0 && referrals.length === 0 && transfers.length === 0;
  return (
    <section class="card" aria-labelledby="sharing-title" data-testid="case-sharing">
      <h2 id="sharing-title">{t('sharing-title')}</h2>
      {(canRefer || mode) && (
        <p class="button-row">
          {canRefer && (
            <a class="button" href={href({ name: 'refer', id: record.id })} data-testid="refer-open">
              {t('sharing-refer')}
            </a>
          )}
          {mode === 'transfer' && (
            <a class="button" href={href({ name: 'transfer', id: record.id })} data-testid="transfer-open">
              {t('sharing-transfer-case')}
            </a>
          )}
          {mode === 'request' && (
            <a class="button" href={href({ name: 'transfer', id: record.id })} data-testid="transfer-request-open">
              {t('sharing-ask-for-case')}
            </a>
          )}
        </p>
      )}
      {queued.length > 0 && (
        <ul class="pick-list" style={{ marginBottom: '0.5rem' }}>
          {queued.map((action) => (
            <QueuedActionItem action={action} key={action.id} />
          ))}
        </ul>
      )}
      {!online && <p class="hint">{t('sharing-offline')}</p>}
      {online && lists.error && <p class="notice error">{lists.error}</p>}
      {online && lists.referrals && lists.transfers && nothing && <p class="hint">{t('sharing-none')}</p>}
      {referrals.length > 0 && (
        <ul class="pick-list" aria-label={t('referrals-title')}>
          {referrals.map((referral) => (
            <ReferralItem referral={referral} incoming={referral.from_agency_id !== current.user.agency_id && referral.to_agency_id === current.user.agency_id} key={referral.id} />
          ))}
        </ul>
      )}
      {transfers.length > 0 && (
        <ul class="pick-list" aria-label={t('transfers-title')} style={{ marginTop: '0.4rem' }}>
          {transfers.map((transfer) => (
            <TransferItem transfer={transfer} incoming={transfer.to_agency_id === current.user.agency_id && transfer.from_user.id !== current.user.id} key={transfer.id} />
          ))}
        </ul>
      )}
      <p style={{ margin: '0.6rem 0 0' }}>
        <a href={href({ name: 'referrals', box: 'sent' })}>{t('referral-back')}</a>
      </p>
    </section>
  );
}

/** Returns whether form `formId` of case `record` is outside what was shared with the reader,
 * who reads the case through a referral. Such a form is empty on this phone because the server
 * did not send it, not because nothing was recorded. */
export function notShared(record: LocalCase, formId: string): boolean {
  const shared = sharedFormsFor(record);
  return shared !== null && !shared.includes(formId);
}

/**
 * Returns the forms shared with the reader of case `record`, or null when the reader does not
 * read it through referrals. The case's `shared_forms` decides when the server sent the key, null
 * included. For a case from a server without the key, the open referrals of the case in the
 * incoming list the last sync kept decide. That guess applies only to a receiver of referrals who
 * reads only their own cases and does not own this one.
 */
export function sharedFormsFor(record: LocalCase): string[] | null {
  if ('shared_forms' in record) return sharedFormsOf(record);
  const current = session.value;
  const role = currentRole();
  if (!current || !role || record.owner_id === current.user.id) return null;
  if (scopeOf(role, 'receive_referrals') === null || scopeOf(role, 'read') !== 'own') return null;
  // NOTE: a receiver who is also assigned to the case reads every form, but without the server's
  // `shared_forms` the phone cannot see assignments, so it shows empty unshared forms as not shared.
  const open = (incomingReferrals.value as unknown as ReferralView[]).filter(
    (referral) => referral.case_id === record.id && OPEN_REFERRAL_STATUSES.includes(referral.status),
  );
  if (open.length === 0) return null;
  return [ALWAYS_SHARED_FORM, ...new Set(open.flatMap((referral) => referral.shared_forms))];
}
