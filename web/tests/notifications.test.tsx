// The notifications screen and the menu's unread count. The screen shows the cached list with its
// unread marks, and opening one marks it read on the phone at once (the mark is queued for the
// server). "Mark all" clears the count, each notification leads to the approvals queue or the case,
// and its text follows the language chosen on the phone.

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { listsFetchedAt, notifications, queuedActions, type NotificationView } from '../src/actions';
import { MainNav } from '../src/components/MainNav';
import { locale, t } from '../src/i18n';
import type { UserView } from '../src/model';
import { href } from '../src/router';
import { notificationTarget, Notifications } from '../src/screens/Notifications';
import { session } from '../src/session';
import { clearLocalState } from '../src/sync';
import type { Vault } from '../src/vault/store';
import { loadConfiguration } from './configFixture';

const ME: UserView = { id: 'u-karim', username: 'sup.karim', full_name: 'Karim Hossain', agency_id: 'bcri', role_id: 'supervisor', locale: 'bn', disabled: false };

function item(id: string, read: boolean, kind = 'approval_requested'): NotificationView {
  return {
    id,
    kind,
    case_id: 'c1',
    display_id: 'CXB-000001',
    subject_id: 'ap1',
    actor_name: 'রহিমা আক্তার',
    created_at: '2027-01-01T04:00:00Z',
    read,
    title: 'অনুমোদনের অনুরোধ',
    body: 'রহিমা আক্তার কেস পরিকল্পনার অনুমোদন চেয়েছেন।',
  };
}

const stored: Record<string, unknown> = {};

beforeEach(() => {
  locale.value = 'bn';
  session.value = {
    user: ME,
    vault: {
      get: async (key: string) => stored[key],
      put: async (key: string, value: unknown) => void (stored[key] = value),
      putAction: async () => undefined,
      outbox: async () => [],
    } as unknown as Vault,
    configuration: loadConfiguration(),
    configVersion: 1,
    serverSession: true,
  };
  // The sync that queueing starts finds no server.
  vi.stubGlobal('fetch', async () => {
    throw new TypeError('Failed to fetch');
  });
});

afterEach(() => {
  cleanup();
  session.value = null;
  clearLocalState();
  vi.unstubAllGlobals();
});

describe('Notifications', () => {
  test('opening one marks it read', async () => {
    notifications.value = { unread: 2, items: [item('n1', false), item('n2', false)] };
    listsFetchedAt.value = 1;
    render(<Notifications />);
    expect(screen.getByText('২টি পড়া হয়নি')).not.toBeNull();
    fireEvent.click(screen.getAllByTestId('notification')[0].querySelector('a, button')!);
    await waitFor(() => expect(notifications.value.unread).toBe(1));
    expect(screen.getAllByTestId('notification').map((entry) => entry.dataset.read)).toEqual(['true', 'false']);
    expect(queuedActions.value.map((action) => [action.kind, action.body])).toEqual([['notifications_read', { ids: ['n1'] }]]);
    // The read mark is kept in the vault's copy of the lists too.
    expect((stored['casework-lists'] as { notifications: { unread: number } }).notifications.unread).toBe(1);
  });

  test('mark all clears the count', async () => {
    notifications.value = { unread: 2, items: [item('n1', false), item('n2', false), item('n3', true)] };
    render(<Notifications />);
    fireEvent.click(screen.getByTestId('notifications-read-all'));
    await waitFor(() => expect(notifications.value.unread).toBe(0));
    expect(screen.getByText(t('notifications-all-read'))).not.toBeNull();
    expect(screen.queryByTestId('notifications-read-all')).toBeNull();
  });

  test('empty list says so', () => {
    render(<Notifications />);
    expect(screen.getByText(t('notifications-none'))).not.toBeNull();
  });

  test('language switch changes the texts', async () => {
    const texts = {
      en: { title: 'Approval requested', body: 'Rahima Akter asks you to approve the case plan.' },
      bn: { title: 'অনুমোদনের অনুরোধ', body: 'রহিমা আক্তার কেস পরিকল্পনার অনুমোদন চেয়েছেন।' },
    };
    notifications.value = { unread: 1, items: [{ ...item('n1', false), texts }] };
    render(<Notifications />);
    const entry = () => screen.getByTestId('notification');
    expect(entry().querySelector('.notification-title')!.textContent).toBe(texts.bn.title);
    expect(entry().querySelector('.notification-body')!.textContent).toBe(texts.bn.body);

    locale.value = 'en';
    await waitFor(() => expect(entry().querySelector('.notification-title')!.textContent).toBe(texts.en.title));
    expect(entry().querySelector('.notification-body')!.textContent).toBe(texts.en.body);
  });

  test('without texts shows the server rendering', () => {
    locale.value = 'en';
    notifications.value = { unread: 1, items: [item('n1', false), { ...item('n2', false), texts: { bn: { title: 'শিরোনাম', body: 'বিবরণ' } } }] };
    render(<Notifications />);
    const titles = screen.getAllByTestId('notification').map((entry) => entry.querySelector('.notification-title')!.textContent);
    expect(titles).toEqual(['অনুমোদনের অনুরোধ', 'অনুমোদনের অনুরোধ']);
  });

  test('targets', () => {
    expect(href(notificationTarget(item('n', false), true)!)).toBe('#/approvals');
    expect(href(notificationTarget(item('n', false, 'approval_rejected'), true)!)).toBe('#/cases/c1');
    expect(notificationTarget(item('n', false, 'referral_revoked'), false)).toBeNull();
  });
});

describe('menu badge', () => {
  test('counts unread in Bengali digits', () => {
    notifications.value = { unread: 3, items: [] };
    render(<MainNav canCreate={false} canResolve={false} canReview={false} hasTasks />);
    const tab = screen.getByTestId('nav-notifications');
    expect(tab.querySelector('[data-testid=nav-count]')?.textContent).toBe('৩');
    expect(tab.getAttribute('aria-label')).toBe(t('nav-notifications-count', { count: 3 }));
    expect(screen.getByTestId('nav-tasks')).not.toBeNull();
  });

  test('no tasks tab for readers', () => {
    render(<MainNav canCreate={false} canResolve={false} canReview={false} hasTasks={false} />);
    expect(screen.queryByTestId('nav-tasks')).toBeNull();
  });
});
