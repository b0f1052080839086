/** What the server-rendered page and the chart script (./client) must agree on. */

/** The id of the JSON data block in the page that carries the figures for the charts. */
export const FIGURES_ELEMENT_ID = 'dashboard-figures';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11" → "Nov 2026". */
export function monthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}
