// Changes the server rejected, with the reason in the user's language and the values, kept
// sealed on the phone until the user dismisses each one. Casework actions the server rejected
// (a request for approval, a referral, a transfer) are listed here too.

import { dismissAction, queuedActions, type QueuedAction } from '../actions';
import { caseName } from '../caseText';
import { formatInstant, t, verbatim } from '../i18n';
import type { LocalCase, NotSentEntry } from '../model';
import { href } from '../router';
import { session } from '../session';
import { cases, dismissNotSent, notSent } from '../sync';
import { instant } from './ConflictPanel';
import { pathLabel, PathValue } from './SyncStatus';
import { rejectionText } from '../errors';

export function NotSent() {
  const config = session.value?.configuration ?? null;
  const list = notSent.value;
  const failedActions = queuedActions.value.filter((action) => action.state === 'failed' && action.kind !== 'notifications_read');
  const offset = config?.deployment.utc_offset_minutes ?? 360;
  return (
    <section aria-labelledby="not-sent-title">
      <h1 id="not-sent-title">{t('not-sent-title')}</h1>
      {list.length === 0 && failedActions.length === 0 ? <p class="card">{t('not-sent-none')}</p> : <p class="hint">{t('not-sent-intro')}</p>}
      {failedActions.map((action) => (
        <FailedAction key={action.id} action={action} offset={offset} />
      ))}
      {list.map((entry) => {
        const local = cases.value.find((record) => record.id === entry.caseId);
        const title = notSentTitle(entry, local);
        return (
          <article class="card" key={entry.mutationId} data-testid="not-sent">
            <h2>{local ? <a href={href({ name: 'case', id: local.id })}>{title}</a> : title}</h2>
            <p class="notice error">{t('not-sent-reason', { reason: verbatim(rejectionText(entry.code, entry.message)) })}</p>
            <p class="hint" data-testid="not-sent-next">
              {t(nextStep(entry, local))}
            </p>
            {entry.fields.map((field) => (
              <p class="hint" key={field.path}>
                {config ? pathLabel(config, field.path) : field.path}: {field.message}
              </p>
            ))}
            <Values entry={entry} local={local} />
            <p class="hint">
              {entry.deviceTime ? t('not-sent-made', { time: instant(entry.deviceTime, offset) }) : formatInstant(Date.parse(entry.rejectedAt), offset)}
            </p>
            <button type="button" onClick={() => void dismissNotSent(entry.mutationId)}>
              {t('not-sent-dismiss')}
            </button>
          </article>
        );
      })}
    </section>
  );
}

function FailedAction({ action, offset }: { action: QueuedAction; offset: number }) {
  const local = cases.value.find((record) => record.id === action.caseId);
  const title = local ? [caseName(local), local.display_id].filter(Boolean).join(' · ') : t('cases-no-name');
  return (
    <article class="card" data-testid="not-sent-action">
      <h2>{local ? <a href={href({ name: 'case', id: local.id })}>{title}</a> : title}</h2>
      <p>{t(`not-sent-action-${action.kind}`)}</p>
      <p class="notice error">{t('not-sent-reason', { reason: verbatim(rejectionText(action.error?.code ?? 'rejected', action.error?.message ?? '')) })}</p>
      <p class="hint">{t('not-sent-made', { time: formatInstant(action.createdAt, offset) })}</p>
      <button type="button" onClick={() => void dismissAction(action.id)}>
        {t('not-sent-dismiss')}
      </button>
    </article>
  );
}

/** Returns the heading of an entry: the child's name and the short case id, as far as they are
 * known, so two children of the same name can be distinguished. */
export function notSentTitle(entry: NotSentEntry, local: LocalCase | undefined): string {
  const name = entry.caseName ?? (local ? caseName(local) : undefined);
  const displayId = local?.display_id || entry.displayId;
  const parts = [name, displayId].filter((part): part is string => !!part);
  return parts.length > 0 ? parts.join(' · ') : t('cases-no-name');
}

/** Returns the message id of what the user can do next. Only a case still on the phone can take
 * the change again; a case that left it is a matter for the supervisor. */
function nextStep(entry: NotSentEntry, local: LocalCase | undefined): string {
  if (local) return 'not-sent-enter-again';
  return entry.kind === 'create' ? 'not-sent-registration-gone' : 'not-sent-case-gone';
}

function Values({ entry, local }: { entry: NotSentEntry; local: LocalCase | undefined }) {
  const config = session.value?.configuration;
  if (!config) return null;
  const record: LocalCase = local ?? { id: entry.caseId, data: entry.data ?? {}, pending: 0 } as LocalCase;
  const changes = entry.kind === 'create' ? Object.entries(entry.data ?? {}).map(([path, value]) => ({ path, value })) : entry.changes;
  return (
    <>
      {entry.kind === 'create' && <p>{t('not-sent-new-case')}</p>}
      <dl class="values">
        {changes.map((change) => (
          <>
            <dt key={`${change.path}-label`}>{pathLabel(config, change.path)}</dt>
            <dd key={`${change.path}-value`}>
              <PathValue config={config} path={change.path} value={change.value} record={record} />
            </dd>
          </>
        ))}
      </dl>
    </>
  );
}
