// The casework actions of the case view: requests for approval (ApprovalRequest), closing the case
// and reopening it. A case closes when a supervisor approves its closure: "Close the case" first
// opens the closure form for the reason, and once the reason is saved the card offers to ask for
// that approval. Reopening is for roles with the Reopen grant; it needs a reason and a connection.

import { useState } from 'preact/hooks';
import { scopeOf, type Role } from '../domain/config';
import { reopenCase } from '../casework';
import { errorText } from '../errors';
import { t } from '../i18n';
import type { LocalCase } from '../model';
import { href } from '../router';
import { syncState } from '../sync';
import { ApprovalRequest, approvalReady } from './ApprovalRequest';

export function CaseActions({ record, role }: { record: LocalCase; role: Role }) {
  const canWrite = scopeOf(role, 'write') !== null;
  const canClose = scopeOf(role, 'close') !== null;
  const canReopen = scopeOf(role, 'reopen') !== null;
  const open = record.status === 'open';
  return (
    <>
      {canWrite && <ApprovalRequest record={record} canClose={canClose} />}
      {open && canClose && !approvalReady('closure', record.data) && (
        <div class="close-case">
          <a class="button" href={href({ name: 'edit', id: record.id, form: 'closure' })} data-testid="close-case">
            {t('case-close')}
          </a>
          <p class="hint">{t('case-close-hint')}</p>
        </div>
      )}
      {!open && canReopen && <Reopen record={record} />}
    </>
  );
}

function Reopen({ record }: { record: LocalCase }) {
  const online = syncState.value.online;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)} data-testid="reopen-open">
          {t('case-reopen')}
        </button>
      </p>
    );
  }
  async function submit(event: Event) {
    event.preventDefault();
    if (reason.trim() === '') return;
    setWorking(true);
    setError(null);
    try {
      await reopenCase(record, reason.trim());
      setOpen(false);
      setReason('');
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setWorking(false);
    }
  }
  return (
    <form class="card" onSubmit={submit} data-testid="reopen">
      <h2>{t('case-reopen')}</h2>
      {!online && <p class="notice">{t('case-reopen-offline')}</p>}
      <div class="field">
        <label for="reopen-reason">{t('case-reopen-reason')}</label>
        <textarea id="reopen-reason" rows={3} value={reason} onInput={(event) => setReason((event.target as HTMLTextAreaElement).value)} data-testid="reopen-reason" />
      </div>
      <div class="button-row">
        <button type="submit" class="primary" disabled={working || !online || reason.trim() === ''} data-testid="reopen-submit">
          {t('case-reopen')}
        </button>
        <button type="button" disabled={working} onClick={() => setOpen(false)}>
          {t('flags-cancel')}
        </button>
      </div>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
