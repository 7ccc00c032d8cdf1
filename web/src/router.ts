// A small hash router: routes survive reloads offline because the shell is always index.html.

import { signal } from '@preact/signals';

export type Route =
  | { name: 'tasks' }
  | { name: 'approvals' }
  | { name: 'notifications' }
  | { name: 'cases' }
  | { name: 'new' }
  | { name: 'case'; id: string; form?: string }
  | { name: 'edit'; id: string; form: string }
  | { name: 'settings' }
  | { name: 'history'; id: string }
  | { name: 'conflicts' }
  | { name: 'not-sent' }
  | { name: 'review' }
  | { name: 'refer'; id: string }
  | { name: 'transfer'; id: string }
  | { name: 'referrals'; box?: 'incoming' | 'sent' }
  | { name: 'referral'; id: string }
  | { name: 'transfer-view'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  // The home screen is the day's tasks.
  if (parts.length === 0 || parts[0] === 'tasks') return { name: 'tasks' };
  if (parts[0] === 'approvals') return { name: 'approvals' };
  if (parts[0] === 'notifications') return { name: 'notifications' };
  if (parts[0] === 'new') return { name: 'new' };
  if (parts[0] === 'settings') return { name: 'settings' };
  if (parts[0] === 'conflicts') return { name: 'conflicts' };
  if (parts[0] === 'not-sent') return { name: 'not-sent' };
  if (parts[0] === 'review') return { name: 'review' };
  if (parts[0] === 'referrals') return parts[1] ? { name: 'referral', id: parts[1] } : { name: 'referrals', box: 'incoming' };
  if (parts[0] === 'sent-referrals') return { name: 'referrals', box: 'sent' };
  if (parts[0] === 'transfers' && parts[1]) return { name: 'transfer-view', id: parts[1] };
  if (parts[0] === 'cases' && parts[1]) {
    if (parts[2] === 'history') return { name: 'history', id: parts[1] };
    if (parts[2] === 'refer') return { name: 'refer', id: parts[1] };
    if (parts[2] === 'transfer') return { name: 'transfer', id: parts[1] };
    if (parts[2] === 'edit' && parts[3]) return { name: 'edit', id: parts[1], form: parts[3] };
    return { name: 'case', id: parts[1], form: parts[2] };
  }
  return { name: 'cases' };
}

export const route = signal<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.value = parseRoute(location.hash);
    window.scrollTo(0, 0);
  });
}

export function href(target: Route): string {
  switch (target.name) {
    case 'tasks':
      return '#/tasks';
    case 'approvals':
      return '#/approvals';
    case 'notifications':
      return '#/notifications';
    case 'cases':
      return '#/cases';
    case 'new':
      return '#/new';
    case 'settings':
      return '#/settings';
    case 'case':
      return `#/cases/${target.id}${target.form ? `/${target.form}` : ''}`;
    case 'edit':
      return `#/cases/${target.id}/edit/${target.form}`;
    case 'history':
      return `#/cases/${target.id}/history`;
    case 'conflicts':
      return '#/conflicts';
    case 'not-sent':
      return '#/not-sent';
    case 'review':
      return '#/review';
    case 'refer':
      return `#/cases/${target.id}/refer`;
    case 'transfer':
      return `#/cases/${target.id}/transfer`;
    case 'referrals':
      return target.box === 'sent' ? '#/sent-referrals' : '#/referrals';
    case 'referral':
      return `#/referrals/${target.id}`;
    case 'transfer-view':
      return `#/transfers/${target.id}`;
  }
}

export function navigate(target: Route): void {
  if (typeof location !== 'undefined') location.hash = href(target);
}
