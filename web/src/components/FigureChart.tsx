// A bar, column or line chart of a panel's figures, drawn by Chart.js (loaded on first use).
// Each bar carries its number at its end, so the chart reads without hovering. A tap on a bar
// opens the list it counts. The chart is hidden from screen readers, because the table that
// follows it contains the same numbers and links.

import { useEffect, useRef } from 'preact/hooks';
import { intlLocale } from '../i18n';

export interface ChartProps {
  chart: 'bar' | 'column' | 'line';
  /** A label per value; an array is a label of several lines. */
  labels: (string | string[])[];
  /** Null draws no bar (a suppressed value). */
  values: (number | null)[];
  colours: string[];
  /** Called with the index of the tapped bar or point. */
  onSelect?: (index: number) => void;
}

/** Height of one horizontal bar's row, in CSS pixels: a finger's width. */
const BAR_ROW_PX = 38;
const AXIS_PX = 34;
/** Height of one more line of a wrapped label. */
const LABEL_LINE_PX = 18;
const COLUMN_CHART_PX = 230;

type ChartModule = typeof import('../charts');

let chartModule: Promise<ChartModule> | null = null;

/** Loads Chart.js once, after the fonts the chart draws with. */
function loadCharts(): Promise<ChartModule> {
  chartModule ??= Promise.all([import('../charts'), document.fonts?.ready]).then(([module]) => module);
  return chartModule;
}

export function FigureChart({ chart, labels, values, colours, onSelect }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const key = JSON.stringify([chart, labels, values, colours, intlLocale()]);

  useEffect(() => {
    let live = true;
    let drawn: { destroy(): void } | null = null;
    void loadCharts().then(({ Chart }) => {
      if (!live || !canvas.current) return;
      drawn = new Chart(canvas.current, chartConfig({ chart, labels, values, colours }, (index) => select.current?.(index)));
      // Tests and screenshots wait for this mark.
      canvas.current.dataset.drawn = 'true';
    });
    return () => {
      live = false;
      drawn?.destroy();
    };
  }, [key]);

  // Each extra line of a wrapped label makes its row taller.
  const extraLines = labels.reduce((sum, text) => sum + [typeof text === 'string' ? wrapLabel(text) : text].flat().length - 1, 0);
  const height = chart === 'bar' ? labels.length * BAR_ROW_PX + extraLines * LABEL_LINE_PX + AXIS_PX : COLUMN_CHART_PX;
  return (
    <div class="figure-chart" style={{ height: `${height}px` }} aria-hidden="true" data-testid="figure-chart">
      <canvas ref={canvas} />
    </div>
  );
}

type Config = import('../charts').ChartConfiguration<'bar' | 'line', (number | null)[], string | string[]>;

/** Characters of a bar's label on one line. Longer labels wrap between words, so that a phone's
 * axis keeps room for the bars and no label is cut at the chart's edge. */
const LABEL_LINE_CHARS = 16;

/** Splits a label into lines of about LABEL_LINE_CHARS characters, breaking only between words. */
export function wrapLabel(label: string, lineChars = LABEL_LINE_CHARS): string | string[] {
  if (label.length <= lineChars) return label;
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > lineChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length === 1 ? lines[0] : lines;
}

function chartConfig({ chart, labels, values, colours }: ChartProps, onSelect: (index: number) => void): Config {
  const locale = intlLocale();
  const numbers = new Intl.NumberFormat(locale);
  const style = getComputedStyle(document.body);
  const font = { family: style.fontFamily, size: 14 };
  const ink = style.getPropertyValue('--ink').trim() || '#1d2524';
  const horizontal = chart === 'bar';
  const valueAxis = { beginAtZero: true, grace: '12%', ticks: { precision: 0, font, color: ink }, grid: { color: '#e6e2d8' } };
  // Bars' labels stay level; a column chart turns its labels only when they do not fit side by side.
  const categoryAxis = { ticks: { font, color: ink, autoSkip: false, maxRotation: horizontal ? 0 : 90 }, grid: { display: false } };
  return {
    type: chart === 'line' ? 'line' : 'bar',
    data: {
      labels: labels.map((text) => (typeof text === 'string' ? wrapLabel(text) : text)),
      datasets: [
        {
          data: values,
          backgroundColor: colours,
          borderColor: chart === 'line' ? colours[0] : colours,
          borderWidth: chart === 'line' ? 3 : 0,
          pointRadius: chart === 'line' ? 5 : undefined,
          maxBarThickness: 30,
        },
      ],
    },
    options: {
      locale,
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { right: horizontal ? 8 : 0, top: horizontal ? 0 : 4 } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: { tooltip: { titleFont: font, bodyFont: font } },
      onClick: (_event, elements) => {
        if (elements.length > 0) onSelect(elements[0].index);
      },
      onHover: (event, elements) => {
        const target = event.native?.target as HTMLElement | undefined;
        if (target) target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
      },
    },
    plugins: [valueLabels(numbers, font, ink, horizontal)],
  };
}

/** Draws each value beside the end of its bar or above its point, in the reader's digits. */
function valueLabels(numbers: Intl.NumberFormat, font: { family: string; size: number }, ink: string, horizontal: boolean): import('../charts').Plugin<'bar' | 'line'> {
  return {
    id: 'sathiValueLabels',
    afterDatasetsDraw(chart) {
      const context = chart.ctx;
      const meta = chart.getDatasetMeta(0);
      const data = chart.data.datasets[0].data as (number | null)[];
      // Values wider than the space between columns or points would overlap one another; the
      // table under every chart still gives each value.
      const slot = chart.chartArea.width / Math.max(1, meta.data.length);
      const widest = Math.max(...data.map((value) => (value === null || value === undefined ? 0 : numbers.format(value).length)));
      if (!horizontal && slot < widest * font.size * 0.62 + 4) return;
      context.save();
      context.font = `600 ${font.size}px ${font.family}`;
      context.fillStyle = ink;
      meta.data.forEach((element, index) => {
        const value = data[index];
        if (value === null || value === undefined) return;
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        const text = numbers.format(value);
        if (horizontal) {
          context.textAlign = 'left';
          context.textBaseline = 'middle';
          context.fillText(text, x + 6, y);
        } else {
          context.textAlign = 'center';
          context.textBaseline = 'bottom';
          context.fillText(text, x, y - 4);
        }
      });
      context.restore();
    },
  };
}
