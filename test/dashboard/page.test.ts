import { describe, expect, it } from 'vitest';
import type { DashboardFigures } from '../../lambdas/dashboard/figures';
import { FIGURES_ELEMENT_ID } from '../../lambdas/dashboard/labels';
import { renderDashboard } from '../../lambdas/dashboard/page';
import { pipelineByStep } from '../../lambdas/onboarding/pipeline';

const hostile = '</script><script>alert(1)</script>';

const figures: DashboardFigures = {
  asOf: '2026-11-24',
  days: { from: '2026-10-26', to: '2026-11-24' },
  months: { from: '2025-12-01', to: '2026-11-24' },
  totalInDays: 1234567,
  totalOnAsOf: 42,
  byDay: [{ date: '2026-11-24', total: 42 }],
  byMonth: [{ month: '2026-11', total: 1234567 }],
  byDepartment: [{ departmentCode: 'REV', departmentName: hostile, total: 1234567 }],
  byCategory: [{ category: 'G2C', total: 1234567 }],
  topServices: [{ serviceCode: 'DL-REV-0001', serviceName: hostile, departmentCode: 'REV', total: 1234567 }],
  liveServices: 1,
  silentServices: [],
  pipeline: pipelineByStep(
    [
      { status: 'IN_PROGRESS', currentStep: 4 },
      { status: 'CANCELLED', currentStep: 4 },
      { status: 'CANCELLED', currentStep: 7 },
    ],
    new Date(),
  ),
  generatedAt: '2026-11-25T00:30:00.000Z',
};

describe('dashboard page', () => {
  const page = renderDashboard(figures, {
    scriptUrl: '/dashboard/assets/dashboard.js?v=1',
    stylesheetUrl: '/s.css',
  });

  it('escapes department-supplied names in the HTML and in the figures data block', () => {
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('&lt;/script&gt;');
    const data = page.slice(page.indexOf(`id="${FIGURES_ELEMENT_ID}">`));
    expect(data).toContain('\\u003c/script>');
    expect(page.match(/<script\b/g)).toHaveLength(2); // the chart script and the JSON data block
  });

  it('groups numbers the Indian way for people, with exact values for tools', () => {
    expect(page).toContain('data-value="1234567">12,34,567<');
  });

  it('loads only its own script and stylesheet: no inline script or style', () => {
    expect(page).toContain('<script src="/dashboard/assets/dashboard.js?v=1" defer></script>');
    expect(page).not.toMatch(/<style|\sstyle="|\son[a-z]+="/);
  });

  it('shows how many onboardings are open, went live, were rejected and were cancelled', () => {
    const row = (status: string) =>
      page.match(new RegExp(`<tr data-status="${status}">.*?data-value="(\\d+)"`))?.[1];
    expect(row('open')).toBe('1');
    expect(row('live')).toBe('0');
    expect(row('rejected')).toBe('0');
    expect(row('cancelled')).toBe('2');
    expect(page).toContain('Cancelled by DeGS');
  });
});
