// The dashboard: the user's work at a glance, one card per panel. A total is a big number with
// what it counts ("12 open cases"); a breakdown is a chart followed by a table of the same
// figures. Every number, bar and table row opens the list it counts.
//
// Caseworkers and supervisors see figures computed on the phone (dashboard.ts), which also open
// offline. Managers and coordination roles see `GET /api/v1/dashboard`, which needs a
// connection. Coordination figures hide small counts (shown as "<5" with a legend) and open
// the panel's table by agency, never a list of children.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { incomingReferrals, pendingApprovals, serverTasks } from '../actions';
import { api } from '../api';
import { FigureChart } from '../components/FigureChart';
import {
  type Dashboard as DashboardData,
  dashboardKind,
  type Figure,
  isLocalKind,
  localDashboard,
  type Panel,
  targetHref,
} from '../dashboard';
import { formatDate as isoDate, today } from '../domain/dates';
import { errorText } from '../errors';
import { figureLabel, monthAxisLabel, monthLabel } from '../figureText';
import { intlLocale, localizeDigits, t } from '../i18n';
import { knownPeople, peopleNames, refreshPeople } from '../people';
import { session } from '../session';
import { cases, syncState } from '../sync';

export function Dashboard() {
  const current = session.value!;
  const role = current.configuration?.roles.find((entry) => entry.id === current.user.role_id);
  const kind = dashboardKind(role);
  if (isLocalKind(kind)) return <LocalDashboard kind={kind} />;
  if (kind === 'manager' || kind === 'coordination') return <ServerDashboard />;
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dash-title')}</h1>
      <p class="card">{t('dash-none')}</p>
    </section>
  );
}

/** Renders the caseworker's or supervisor's dashboard from the cases and lists on the phone. */
function LocalDashboard({ kind }: { kind: 'caseworker' | 'supervisor' }) {
  const current = session.value!;
  const config = current.configuration ?? null;
  const online = syncState.value.online;
  const offset = config?.deployment.utc_offset_minutes ?? 360;
  const todayIso = isoDate(today(Date.now(), offset));

  useEffect(() => {
    if (kind === 'supervisor' && online) void refreshPeople(current.vault);
  }, [kind, online]);

  const dashboard = useMemo(
    () =>
      localDashboard({
        kind,
        userId: current.user.id,
        config,
        cases: cases.value,
        todayIso,
        computedAt: new Date().toISOString(),
        serverTasks: serverTasks.value,
        approvals: pendingApprovals.value,
        referrals: incomingReferrals.value,
        people: knownPeople(),
      }),
    [kind, cases.value, serverTasks.value, pendingApprovals.value, incomingReferrals.value, peopleNames.value, todayIso],
  );
  return <DashboardView dashboard={dashboard} local />;
}

/** Fetches and renders the manager's or coordination dashboard, which the server counts. */
function ServerDashboard() {
  const online = syncState.value.online;
  const [dashboard, setDashboard] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setError(null);
    api<DashboardData>('GET', '/dashboard')
      .then((answer) => live && setDashboard(answer))
      .catch((failure) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [online]);

  if (!online && !dashboard) {
    return (
      <section aria-labelledby="dashboard-title" data-testid="dashboard">
        <h1 id="dashboard-title">{t('dash-title')}</h1>
        <p class="notice" data-testid="dashboard-offline">
          {t('dash-offline')}
        </p>
      </section>
    );
  }
  if (!dashboard) {
    return (
      <section aria-labelledby="dashboard-title" data-testid="dashboard">
        <h1 id="dashboard-title">{t('dash-title')}</h1>
        {error ? <p class="notice error">{error}</p> : <p class="hint">{t('dash-loading')}</p>}
      </section>
    );
  }
  return <DashboardView dashboard={dashboard} local={false} />;
}

/** Formats an instant as the time of day in the deployment's zone, with the date when it is
 * not `todayIso`. */
function asOfText(instant: string, todayIso: string, offsetMinutes: number): string {
  const shifted = new Date(Date.parse(instant) + offsetMinutes * 60_000);
  const sameDay = shifted.toISOString().slice(0, 10) === todayIso;
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(intlLocale(), options).format(shifted);
}

function DashboardView({ dashboard, local }: { dashboard: DashboardData; local: boolean }) {
  const offset = session.value?.configuration?.deployment.utc_offset_minutes ?? 360;
  const time = asOfText(dashboard.computed_at, dashboard.as_of, offset);
  const threshold = dashboard.suppression_threshold;
  return (
    <section aria-labelledby="dashboard-title" data-testid="dashboard" data-kind={dashboard.kind}>
      <h1 id="dashboard-title">{t('dash-title')}</h1>
      <p class="hint" data-testid="dashboard-as-of">
        {t(local ? 'dash-as-of-phone' : 'dash-as-of', { time })}
      </p>
      {threshold !== null && (
        <p class="notice" data-testid="suppression-legend">
          {t('dash-suppressed-legend', { threshold })}
        </p>
      )}
      <div class="dash-grid">
        {dashboard.panels.map((panel) => (
          <PanelCard key={panel.id} panel={panel} server={dashboard.kind === 'manager'} threshold={threshold} />
        ))}
      </div>
    </section>
  );
}

/** The colours of bars: risk levels and overdue work by their usual colours, the rest in the
 * app's colour. Words always go with them. */
const KEY_COLOURS: Record<string, string> = {
  high: '#b3261e',
  medium: '#d99100',
  low: '#2e7d32',
  none: '#8a918f',
  overdue: '#b3261e',
  today: '#d99100',
  week: '#1f5f5b',
};
const BRAND_COLOUR = '#1f5f5b';

function figureColour(panel: Panel, figure: Figure): string {
  const coloured = panel.dimension === 'risk_level' || panel.dimension === 'bucket';
  return (coloured && KEY_COLOURS[figure.key]) || BRAND_COLOUR;
}

/** Returns a figure's value in the reader's digits, or "<5" when suppressed. */
export function valueText(figure: Figure, threshold: number | null): string {
  if (figure.suppressed || figure.value === null) {
    return figure.suppressed && threshold !== null ? t('dash-suppressed', { threshold }) : '–';
  }
  return localizeDigits(String(figure.value));
}

function PanelCard({ panel, server, threshold }: { panel: Panel; server: boolean; threshold: number | null }) {
  const config = session.value?.configuration ?? null;
  const people = knownPeople();
  const title = t(`dash-panel-${panel.id}`);
  const headingId = `panel-${panel.id}`;
  const labels = panel.figures.map((figure) => figureLabel(panel.dimension, figure, config, people));
  const hrefOf = (figure: Figure) => (figure.list ? targetHref(figure.list, server, figure.key) : null);

  let body;
  if (panel.figures.length === 0) {
    body = <p class="hint">{t('dash-panel-empty')}</p>;
  } else if (panel.chart === 'number' && panel.figures.length === 1) {
    body = <BigNumber panel={panel} figure={panel.figures[0]} href={hrefOf(panel.figures[0])} threshold={threshold} />;
  } else if (panel.counts === 'days') {
    body = <DaysFigures panel={panel} hrefOf={hrefOf} threshold={threshold} />;
  } else if (panel.chart === 'number') {
    body = (
      <ul class="number-list">
        {panel.figures.map((figure, index) => (
          <li key={figure.key}>
            <FigureValue figure={figure} href={hrefOf(figure)} threshold={threshold} />
            <span>{labels[index]}</span>
          </li>
        ))}
      </ul>
    );
  } else {
    const chart = panel.chart;
    const open = (index: number) => {
      const target = hrefOf(panel.figures[index]);
      if (target) location.hash = target;
    };
    body = (
      <>
        <FigureChart
          chart={chart}
          labels={panel.dimension === 'month' ? panel.figures.map((figure) => monthAxisLabel(figure.key)) : labels}
          values={panel.figures.map((figure) => (figure.suppressed ? null : figure.value))}
          colours={panel.figures.map((figure) => figureColour(panel, figure))}
          onSelect={open}
        />
        <FigureTable panel={panel} labels={labels} hrefOf={hrefOf} threshold={threshold} caption={title} />
      </>
    );
  }
  return (
    <section class="card dash-panel" aria-labelledby={headingId} data-testid={`panel-${panel.id}`}>
      <h2 id={headingId}>{title}</h2>
      {panel.chart !== 'number' && panel.counts !== 'days' && <p class="hint">{t(`dash-counts-${panel.counts}`)}</p>}
      {panel.dimension === 'month' && panel.figures.length > 0 && (
        <p class="hint">{t('filter-range', { from: monthLabel(panel.figures[0].key), to: monthLabel(panel.figures[panel.figures.length - 1].key) })}</p>
      )}
      {body}
    </section>
  );
}

/** Renders a total as a big number inside its sentence ("12 open cases"), linked to its list. */
function BigNumber({ panel, figure, href, threshold }: { panel: Panel; figure: Figure; href: string | null; threshold: number | null }) {
  const value = valueText(figure, threshold);
  const sentence = t(`dash-number-${panel.id}`, { count: figure.value ?? 0 });
  // The number is drawn large where the sentence has it, so the words keep their language's order.
  const at = figure.value === null ? -1 : sentence.indexOf(value);
  const content =
    at < 0 ? (
      <>
        <span class="big-number">{value}</span> <span>{sentence}</span>
      </>
    ) : (
      <>
        {sentence.slice(0, at)}
        <span class="big-number">{value}</span>
        {sentence.slice(at + value.length)}
      </>
    );
  const attributes = { class: 'big-figure', 'data-testid': 'figure', 'data-key': figure.key, 'data-value': figure.value ?? '' };
  return href ? (
    <a href={href} {...attributes}>
      {content}
    </a>
  ) : (
    <p {...attributes}>{content}</p>
  );
}

function FigureTable({
  panel,
  labels,
  hrefOf,
  threshold,
  caption,
}: {
  panel: Panel;
  labels: string[];
  hrefOf: (figure: Figure) => string | null;
  threshold: number | null;
  caption: string;
}) {
  return (
    <table class="figure-table">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(`dash-dimension-${panel.dimension}`)}</th>
          <th scope="col" class="number">
            {t(`dash-counts-${panel.counts}`)}
          </th>
        </tr>
      </thead>
      <tbody>
        {panel.figures.map((figure, index) => {
          const target = hrefOf(figure);
          return (
            <tr key={figure.key}>
              <th scope="row">
                <span class="swatch" style={{ background: figureColour(panel, figure) }} aria-hidden="true" />
                {labels[index]}
              </th>
              <td class="number">
                <FigureValue figure={figure} href={target} threshold={threshold} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Renders the days between two steps of casework: the median, the 90th percentile, and the
 * number of cases measured. */
function DaysFigures({ panel, hrefOf, threshold }: { panel: Panel; hrefOf: (figure: Figure) => string | null; threshold: number | null }) {
  return (
    <dl class="values days-figures">
      {panel.figures.map((figure) => {
        const text = figure.key === 'cases' || figure.value === null || figure.suppressed ? undefined : t('dash-days', { count: figure.value });
        return [
          <dt key={`${figure.key}-label`}>{t(`dash-key-${figure.key}`)}</dt>,
          <dd key={figure.key}>
            <FigureValue figure={figure} href={hrefOf(figure)} threshold={threshold} text={text} />
          </dd>,
        ];
      })}
    </dl>
  );
}

/** Renders a figure's value, linked to its list when it has one, with the marks tests read. */
function FigureValue({ figure, href, threshold, text }: { figure: Figure; href: string | null; threshold: number | null; text?: string }) {
  const attributes = {
    'data-testid': 'figure',
    'data-key': figure.key,
    'data-value': figure.value ?? '',
    'data-suppressed': figure.suppressed ? 'true' : undefined,
  };
  const shown = text ?? valueText(figure, threshold);
  return href ? (
    <a href={href} {...attributes}>
      {shown}
    </a>
  ) : (
    <span {...attributes}>{shown}</span>
  );
}
