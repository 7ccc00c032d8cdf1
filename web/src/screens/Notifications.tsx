// In-app notifications: new referrals, transfers, approval requests and decisions, as the server
// wrote them in each language when the phone last synced, shown in the language chosen now. Opening one marks it read; the
// mark reaches the server with the next sync, so this works offline too.

import { markNotificationsRead, notifications, notificationText, type NotificationView } from '../actions';
import { formatInstant, locale, t } from '../i18n';
import { href, type Route } from '../router';
import { session } from '../session';
import { cases } from '../sync';

/** Returns where a notification leads: the approvals queue for a request to decide, else the case
 * when it is on the phone, else nowhere. */
export function notificationTarget(item: NotificationView, caseOnPhone: boolean): Route | null {
  if (item.kind === 'approval_requested') return { name: 'approvals' };
  if (item.case_id && caseOnPhone) return { name: 'case', id: item.case_id };
  return null;
}

export function Notifications() {
  const { unread, items } = notifications.value;
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const onPhone = new Set(cases.value.map((record) => record.id));
  return (
    <section aria-labelledby="notifications-title" data-testid="notifications">
      <div class="title-row">
        <h1 id="notifications-title">{t('notifications-title')}</h1>
        {unread > 0 && (
          <button type="button" onClick={() => void markNotificationsRead('all')} data-testid="notifications-read-all">
            {t('notifications-read-all')}
          </button>
        )}
      </div>
      <p class="hint">{unread > 0 ? t('notifications-unread', { count: unread }) : t('notifications-all-read')}</p>
      {items.length === 0 && <p class="card">{t('notifications-none')}</p>}
      <ul class="notification-list">
        {items.map((item) => {
          const target = notificationTarget(item, item.case_id !== null && onPhone.has(item.case_id));
          const text = notificationText(item, locale.value);
          const content = (
            <>
              <span class="notification-title">
                {!item.read && <span class="unread-dot" aria-label={t('notifications-new')} role="img" />}
                {text.title}
              </span>
              <span class="notification-body">{text.body}</span>
              <span class="hint">
                {formatInstant(Date.parse(item.created_at), offset)}
                {item.display_id ? ` · ${item.display_id}` : ''}
              </span>
            </>
          );
          const className = item.read ? 'notification' : 'notification unread';
          const open = () => {
            if (!item.read) void markNotificationsRead([item.id]);
          };
          return (
            <li key={item.id} data-testid="notification" data-read={item.read ? 'true' : 'false'}>
              {target ? (
                <a class={className} href={href(target)} onClick={open}>
                  {content}
                </a>
              ) : (
                <button type="button" class={className} onClick={open}>
                  {content}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
