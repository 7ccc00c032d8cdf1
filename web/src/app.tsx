import { useEffect } from 'preact/hooks';
import { scopeOf } from './domain/config';
import { t } from './i18n';
import { href, route } from './router';
import { session } from './session';
import { clearLocalState, loadLocalCases, startBackgroundSync, syncNow } from './sync';
import { MainNav } from './components/MainNav';
import { SyncBar } from './components/SyncBar';
import { Login } from './screens/Login';
import { CaseList } from './screens/CaseList';
import { CaseView } from './screens/CaseView';
import { CaseForm } from './screens/CaseForm';
import { Settings } from './screens/Settings';
import { CaseHistory } from './screens/CaseHistory';
import { Conflicts } from './screens/Conflicts';
import { NotSent } from './screens/NotSent';
import { Review } from './screens/Review';
import { Tasks } from './screens/Tasks';
import { Approvals } from './screens/Approvals';
import { Notifications } from './screens/Notifications';
import { forgetReferrals } from './referrals';
import { Refer } from './screens/Refer';
import { Referrals } from './screens/Referrals';
import { ReferralDetail } from './screens/ReferralDetail';
import { Transfer, TransferDetail } from './screens/Transfer';
import { Dashboard } from './screens/Dashboard';
import { DashboardPanel } from './screens/DashboardPanel';
import { Reports } from './screens/Reports';
import { ReferralList } from './screens/ReferralList';
import { Import } from './screens/Import';
import { MyExports } from './screens/MyExports';
import { dashboardKind } from './dashboard';
import { forgetPeople, loadPeople, refreshPeople } from './people';

export function App() {
  const current = session.value;
  useEffect(() => {
    if (!current) return;
    void loadLocalCases().then(() => syncNow());
    // The names of the people who own cases, for the supervisor's dashboard: those kept in the
    // vault at once, then the server's list where the role may read it.
    const role = current.configuration?.roles.find((entry) => entry.id === current.user.role_id);
    void loadPeople(current.vault).then(() => (role && scopeOf(role, 'assign') !== null ? refreshPeople(current.vault) : undefined));
    const stopBackgroundSync = startBackgroundSync();
    return () => {
      stopBackgroundSync();
      clearLocalState();
      forgetReferrals();
      forgetPeople();
    };
  }, [current?.user.id]);

  if (!current) return <Login />;
  const here = route.value;
  // Only roles that may register children see the registration screen.
  const role = current.configuration?.roles.find((entry) => entry.id === current.user.role_id);
  const canCreate = !role || scopeOf(role, 'create') !== null;
  // Conflicts are resolved by those who may change the case: its owner and the supervisors over it.
  const canResolve = !!role && scopeOf(role, 'write') !== null;
  const canReview = !!role && scopeOf(role, 'assign') !== null;
  // Tasks are for those who work on cases. A role that only reads starts on its dashboard when
  // it has one (an agency administrator's is the manager's), otherwise on the case list.
  const hasTasks = !!role && (scopeOf(role, 'write') !== null || scopeOf(role, 'approve') !== null);
  const canApprove = !!role && scopeOf(role, 'approve') !== null;
  // Caseworkers and supervisors start on their tasks and have a dashboard tab.
  const kind = dashboardKind(role);
  const landsOnDashboard = kind === 'manager' || kind === 'coordination';
  const canReport = !!role && scopeOf(role, 'view_aggregates') !== null;
  const canReadCases = !role || scopeOf(role, 'read') !== null;
  const canImport = !!role && scopeOf(role, 'import') !== null;
  const canExport = !!role && scopeOf(role, 'export') !== null;
  let home = <CaseList />;
  if (hasTasks) home = <Tasks />;
  else if (landsOnDashboard) home = <Dashboard />;
  let dashboardTab: 'home' | 'tab' | null = null;
  if (kind !== 'none') dashboardTab = landsOnDashboard ? 'home' : 'tab';
  return (
    <>
      <a class="skip-link" href="#main">
        {t('nav-my-cases')}
      </a>
      <header class="topbar">
        <a class="brand" href={href({ name: canReadCases ? 'cases' : 'dashboard' })}>
          {t('app-name')}
        </a>
        <MainNav
          canCreate={canCreate}
          canResolve={canResolve}
          canReview={canReview}
          hasTasks={hasTasks}
          dashboard={dashboardTab}
          canReport={canReport}
          canReadCases={canReadCases}
          canImport={canImport}
        />
      </header>
      <SyncBar />
      <main id="main">
        {here.name === 'tasks' && (hasTasks && (here.bucket || here.owner) ? <Tasks bucket={here.bucket} owner={here.owner} /> : home)}
        {here.name === 'dashboard' && kind !== 'none' && <Dashboard />}
        {here.name === 'dashboard-panel' && kind === 'coordination' && <DashboardPanel panel={here.panel} marked={here.key} />}
        {here.name === 'reports' && canReport && <Reports />}
        {here.name === 'import' && canImport && <Import />}
        {here.name === 'exports' && canExport && <MyExports />}
        {here.name === 'referral-list' && <ReferralList params={here.params} />}
        {here.name === 'approvals' && (canApprove || hasTasks) && <Approvals />}
        {here.name === 'notifications' && <Notifications />}
        {here.name === 'cases' && <CaseList />}
        {here.name === 'new' && canCreate && <CaseForm mode="new" />}
        {here.name === 'case' && <CaseView id={here.id} form={here.form} />}
        {here.name === 'edit' && <CaseForm mode="edit" id={here.id} form={here.form} />}
        {here.name === 'settings' && <Settings />}
        {here.name === 'history' && <CaseHistory id={here.id} />}
        {here.name === 'conflicts' && canResolve && <Conflicts />}
        {here.name === 'not-sent' && <NotSent />}
        {here.name === 'review' && canReview && <Review />}
        {here.name === 'refer' && <Refer id={here.id} />}
        {here.name === 'transfer' && <Transfer id={here.id} />}
        {here.name === 'referrals' && <Referrals box={here.box ?? 'incoming'} only={here.only} />}
        {here.name === 'referral' && <ReferralDetail id={here.id} />}
        {here.name === 'transfer-view' && <TransferDetail id={here.id} />}
      </main>
    </>
  );
}
