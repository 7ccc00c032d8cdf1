// A coordination figure's table: the panel broken down by agency, from the same snapshot as the
// dashboard (`GET /api/v1/dashboard/panels/{id}`). Coordination roles read no records, so this
// table, with small counts suppressed, is what a figure opens. It needs a connection.

import { useEffect, useState } from 'preact/hooks';
import { PivotTable, transposeSingleRow } from '../components/PivotTable';
import { errorText } from '../errors';
import { t } from '../i18n';
import { fetchPanelTable, type PanelTable } from '../reportsApi';
import { href } from '../router';
import { syncState } from '../sync';

/** Renders the table of coordination panel `panel`, with the row of key `marked` highlighted. */
export function DashboardPanel({ panel, marked }: { panel: string; marked?: string }) {
  const online = syncState.value.online;
  const [table, setTable] = useState<PanelTable | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setTable(null);
    setError(null);
    fetchPanelTable(panel)
      .then((answer) => live && setTable(answer))
      .catch((failure) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [panel, online]);

  const title = t(`dash-panel-${panel}`);
  const threshold = table?.suppression_threshold ?? null;
  return (
    <section aria-labelledby="panel-title" data-testid="dashboard-panel">
      <p>
        <a href={href({ name: 'dashboard' })}>{t('dash-back')}</a>
      </p>
      <h1 id="panel-title">{title}</h1>
      <p class="hint">{t('dash-panel-by-agency')}</p>
      {!online && <p class="notice">{t('dash-offline')}</p>}
      {error && <p class="notice error">{error}</p>}
      {online && !table && !error && <p class="hint">{t('dash-loading')}</p>}
      {threshold !== null && <p class="notice" data-testid="suppression-legend">{t('dash-suppressed-legend', { threshold })}</p>}
      {table && table.rows.length === 1 && <PivotTable pivot={transposeSingleRow(table)} rowsTitle={t('dash-dimension-agency')} caption={title} />}
      {table && table.rows.length !== 1 && (
        <PivotTable pivot={table} rowsTitle={t(`dash-dimension-${table.dimension}`)} columnsTitle={t('dash-dimension-agency')} caption={title} marked={marked} agencyColumns />
      )}
    </section>
  );
}
