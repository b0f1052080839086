import './dashboard.css';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { DashboardFigures } from '../figures';
import { FIGURES_ELEMENT_ID, monthLabel } from '../labels';

/**
 * The dashboard's charts, drawn from the figures the page carries (no request of its own). Only the
 * Chart.js parts used here are registered, so esbuild leaves the rest out of the bundle.
 */
Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

const ACCENT = '#0b4f8a';
const WARN = '#b45309';
const CATEGORY_COLOURS = ['#0b4f8a', '#2e7d32', '#b45309', '#6a1b9a', '#5f6368'];

const numberFormat = new Intl.NumberFormat('en-IN');

function draw(id: string, config: ChartConfiguration): void {
  const canvas = document.getElementById(id);
  if (!(canvas instanceof HTMLCanvasElement)) return;
  new Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { tooltip: { callbacks: { label: (item) => numberFormat.format(Number(item.raw)) } } },
      ...config.options,
    },
  });
  // What the chart shows, for people's tools and the browser test: the sum of its data.
  const values = config.data.datasets.flatMap((dataset) => dataset.data as number[]);
  canvas.dataset.total = String(values.reduce((a, b) => a + b, 0));
  canvas.dataset.rendered = 'true';
}

const noLegend = { plugins: { legend: { display: false } } } as const;

function drawAll(figures: DashboardFigures): void {
  draw('chart-by-day', {
    type: 'line',
    data: {
      labels: figures.byDay.map((d) => d.date.slice(5)),
      datasets: [
        {
          label: 'e-Transactions',
          data: figures.byDay.map((d) => d.total),
          borderColor: ACCENT,
          backgroundColor: ACCENT,
        },
      ],
    },
    options: { ...noLegend, scales: { y: { beginAtZero: true } } },
  });
  draw('chart-by-month', {
    type: 'bar',
    data: {
      labels: figures.byMonth.map((m) => monthLabel(m.month)),
      datasets: [
        { label: 'e-Transactions', data: figures.byMonth.map((m) => m.total), backgroundColor: ACCENT },
      ],
    },
    options: noLegend,
  });
  draw('chart-by-category', {
    type: 'doughnut',
    data: {
      labels: figures.byCategory.map((c) => c.category),
      datasets: [{ data: figures.byCategory.map((c) => c.total), backgroundColor: CATEGORY_COLOURS }],
    },
    options: { plugins: { legend: { position: 'bottom' } } },
  });
  draw('chart-by-department', {
    type: 'bar',
    data: {
      labels: figures.byDepartment.map((d) => d.departmentCode),
      datasets: [
        { label: 'e-Transactions', data: figures.byDepartment.map((d) => d.total), backgroundColor: ACCENT },
      ],
    },
    options: { ...noLegend, indexAxis: 'y' },
  });
  const steps = figures.pipeline.steps;
  draw('chart-pipeline', {
    type: 'bar',
    data: {
      labels: steps.map((s) => String(s.step)),
      datasets: [
        { label: 'On time', data: steps.map((s) => s.onboardings - s.overdue), backgroundColor: ACCENT },
        { label: 'Overdue', data: steps.map((s) => s.overdue), backgroundColor: WARN },
      ],
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

const data = document.getElementById(FIGURES_ELEMENT_ID)?.textContent;
if (data) drawAll(JSON.parse(data) as DashboardFigures);
