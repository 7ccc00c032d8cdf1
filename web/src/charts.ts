// Chart.js with only the parts the dashboards and reports draw: bar and line charts on a
// category and a linear axis, with tooltips. Screens load this module with a dynamic import, so
// Chart.js is a separate file that the other screens never fetch.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip);

export { Chart };
export type { ChartConfiguration, Plugin };
