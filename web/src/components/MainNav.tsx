// The main menu: every destination of the app with an icon, a label and a count where one helps:
// tasks overdue or due today, unread notifications, open conflicts on this phone's cases. On a
// phone it is a tab bar at the bottom of the screen, where a thumb reaches it. Its labels are
// short, so that the tabs fit a 360 px screen in either language without scrolling. On a wider
// screen it sits in the top bar with full labels.

import type { ComponentChildren } from 'preact';
import { localizeDigits, t } from '../i18n';
import { notifications } from '../actions';
import { href, route, type Route } from '../router';
import { cases } from '../sync';
import { useTaskCount } from '../screens/Tasks';
import { scopeOf } from '../domain/config';
import { session } from '../session';

interface Tab {
  target: Route;
  /** Route names that count as this tab being open. */
  names: Route['name'][];
  icon: ComponentChildren;
  short: string;
  full: string;
  count?: number;
  countLabel?: string;
}

/** From this many tabs on, a phone's tab bar uses smaller labels, so that seven tabs fit 360 px. */
const CROWDED_FROM = 7;

export interface MainNavProps {
  canCreate: boolean;
  canResolve: boolean;
  canReview: boolean;
  hasTasks: boolean;
  /** `home` when the dashboard is the start screen, `tab` when it is one more tab, null without one. */
  dashboard?: 'home' | 'tab' | null;
  canReport?: boolean;
  canReadCases?: boolean;
  /** Roles with the `import` grant get the import screen. */
  canImport?: boolean;
}

export function MainNav({ canCreate, canResolve, canReview, hasTasks, dashboard = null, canReport = false, canReadCases = true, canImport = false }: MainNavProps) {
  const here = route.value.name;
  const conflicts = cases.value.reduce((sum, record) => sum + (record.conflicts?.length ?? 0), 0);
  const tasksDue = useTaskCount();
  const unread = notifications.value.unread;
  const tabs: Tab[] = [];
  const dashboardTab: Tab = {
    target: { name: 'dashboard' },
    // The start screen of a role without tasks is its dashboard.
    names: dashboard === 'home' ? ['dashboard', 'dashboard-panel', 'tasks'] : ['dashboard', 'dashboard-panel'],
    icon: <DashboardIcon />,
    short: t('nav-dashboard-short'),
    full: t('nav-dashboard'),
  };
  if (dashboard === 'home') tabs.push(dashboardTab);
  if (hasTasks) {
    tabs.push({
      target: { name: 'tasks' },
      names: ['tasks', 'approvals'],
      icon: <TasksIcon />,
      short: t('nav-tasks-short'),
      full: t('nav-tasks'),
      count: tasksDue,
      countLabel: t('nav-tasks-count', { count: tasksDue }),
    });
  }
  if (dashboard === 'tab') tabs.push(dashboardTab);
  if (canReadCases) {
    tabs.push({ target: { name: 'cases' }, names: ['cases', 'case', 'edit', 'history', 'not-sent', 'exports'], icon: <CasesIcon />, short: t('nav-cases-short'), full: t('nav-my-cases') });
  }
  if (canReport) tabs.push({ target: { name: 'reports' }, names: ['reports'], icon: <ReportsIcon />, short: t('nav-reports-short'), full: t('nav-reports') });
  if (canImport) tabs.push({ target: { name: 'import' }, names: ['import'], icon: <ImportIcon />, short: t('nav-import-short'), full: t('nav-import') });
  if (canCreate) tabs.push({ target: { name: 'new' }, names: ['new'], icon: <NewIcon />, short: t('nav-new-short'), full: t('nav-new-case') });
  if (canResolve) {
    tabs.push({
      target: { name: 'conflicts' },
      names: ['conflicts'],
      icon: <ConflictIcon />,
      short: t('nav-conflicts-short'),
      full: t('nav-conflicts'),
      count: conflicts,
      countLabel: t('nav-conflicts-count', { count: conflicts }),
    });
  }
  // Service providers live by their incoming referrals; others reach the list from a case's Sharing section.
  const role = session.value?.configuration?.roles.find((entry) => entry.id === session.value?.user.role_id);
  if (role && scopeOf(role, 'receive_referrals') !== null) {
    tabs.push({ target: { name: 'referrals' }, names: ['referrals', 'referral', 'transfer-view'], icon: <ReferralsIcon />, short: t('nav-referrals-short'), full: t('nav-referrals') });
  }
  if (canReview) tabs.push({ target: { name: 'review' }, names: ['review'], icon: <ReviewIcon />, short: t('nav-review-short'), full: t('nav-review') });
  tabs.push({
    target: { name: 'notifications' },
    names: ['notifications'],
    icon: <BellIcon />,
    short: t('nav-notifications-short'),
    full: t('nav-notifications'),
    count: unread,
    countLabel: t('nav-notifications-count', { count: unread }),
  });
  tabs.push({ target: { name: 'settings' }, names: ['settings'], icon: <SettingsIcon />, short: t('nav-settings-short'), full: t('nav-settings') });

  return (
    <nav class={tabs.length >= CROWDED_FROM ? 'mainnav crowded' : 'mainnav'} aria-label={t('nav-main')} data-testid="main-nav">
      {tabs.map((tab) => (
        <a
          key={tab.target.name}
          href={href(tab.target)}
          aria-current={tab.names.includes(here) ? 'page' : undefined}
          aria-label={tab.count ? tab.countLabel : undefined}
          data-testid={`nav-${tab.target.name}`}
        >
          <span class="icon" aria-hidden="true">
            {tab.icon}
            {tab.count ? (
              <span class="count" data-testid="nav-count">
                {localizeDigits(String(tab.count))}
              </span>
            ) : null}
          </span>
          <span class="label-short" aria-hidden={tab.count ? 'true' : undefined}>
            {tab.short}
          </span>
          <span class="label-full" aria-hidden={tab.count ? 'true' : undefined}>
            {tab.full}
          </span>
        </a>
      ))}
    </nav>
  );
}

// Icons: 24 × 24 strokes in the current text colour, drawn for this menu.

function Icon({ children }: { children: ComponentChildren }) {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      {children}
    </svg>
  );
}

function TasksIcon() {
  return (
    <Icon>
      <path d="M9 6h11M9 12h11M9 18h11M4 6l1 1 2-2M4 12l1 1 2-2M4 18l1 1 2-2" />
    </Icon>
  );
}

function BellIcon() {
  return (
    <Icon>
      <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4l2-2M10 21h4" />
    </Icon>
  );
}

function CasesIcon() {
  return (
    <Icon>
      <rect x="4" y="3" width="16" height="18" rx="2" />
      <path d="M8 8h8M8 12h8M8 16h5" />
    </Icon>
  );
}

function NewIcon() {
  return (
    <Icon>
      <circle cx="10" cy="8" r="4" />
      <path d="M3 21c0-4 3-6 7-6 1.5 0 2.8.3 3.9.9M18 14v7M14.5 17.5h7" />
    </Icon>
  );
}

function ConflictIcon() {
  return (
    <Icon>
      <path d="M7 4v10M7 14l-3-3M7 14l3-3M17 20V10M17 10l-3 3M17 10l3 3" />
    </Icon>
  );
}

function ReviewIcon() {
  return (
    <Icon>
      <rect x="3" y="4" width="18" height="5" rx="1" />
      <path d="M5 9v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V9M10 13h4" />
    </Icon>
  );
}

function ReferralsIcon() {
  return (
    <Icon>
      <circle cx="6" cy="12" r="3" />
      <path d="M9 12h11M16 8l4 4-4 4" />
    </Icon>
  );
}

function DashboardIcon() {
  return (
    <Icon>
      <path d="M4 20h16M7 16v-5M12 16V6M17 16v-8" />
    </Icon>
  );
}

function ReportsIcon() {
  return (
    <Icon>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M3 10h18M3 15h18M10 4v16" />
    </Icon>
  );
}

function ImportIcon() {
  return (
    <Icon>
      <path d="M12 3v12M7 10l5 5 5-5M4 17v3h16v-3" />
    </Icon>
  );
}

function SettingsIcon() {
  return (
    <Icon>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1" />
    </Icon>
  );
}
