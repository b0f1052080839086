import { istDateOf } from '../core/calendar';
import { parseIsoDate } from '../core/iso-date';
import { type HttpResult, html, httpHandler } from '../shared/http';
import { routeByResource } from '../shared/route-by-resource';
import { dashboardAsset, isDashboardAsset } from './assets';
import { defaultAsOf, recentDashboardFigures } from './figures';
import { DASHBOARD_CONTENT_SECURITY_POLICY, renderDashboard, renderDashboardError } from './page';

/**
 * The public e-Taal Delhi dashboard (no authentication: public totals only).
 *   GET /dashboard[?date=YYYY-MM-DD]   the page, figures as of the date (default: yesterday in IST)
 *   GET /dashboard/assets/{asset}      its script and stylesheet
 */

/** Figures change when counts arrive; five minutes of staleness costs nobody anything. */
const PAGE_CACHE = 'public, max-age=300';
/** Asset URLs carry their content hash, so a cached copy is never wrong. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

const pageHeaders = {
  'Content-Security-Policy': DASHBOARD_CONTENT_SECURITY_POLICY,
  'Cache-Control': PAGE_CACHE,
};

const page = httpHandler({}, async ({ query, event }) => {
  const now = new Date();
  const asOf = query.date?.trim() || defaultAsOf(now);
  if (parseIsoDate(asOf) === undefined || asOf > istDateOf(now)) {
    return html(
      400,
      renderDashboardError('The date must be a day up to today, written YYYY-MM-DD.'),
      pageHeaders,
    );
  }
  // The page's own path as the client sees it (stage or custom-domain base path included).
  const base = `${(event.requestContext?.path ?? event.path).replace(/\/+$/, '')}/assets`;
  const assetUrl = (name: 'dashboard.js' | 'dashboard.css') =>
    `${base}/${name}?v=${dashboardAsset(name).version}`;
  const figures = await recentDashboardFigures(asOf, now);
  return html(
    200,
    renderDashboard(figures, {
      scriptUrl: assetUrl('dashboard.js'),
      stylesheetUrl: assetUrl('dashboard.css'),
    }),
    pageHeaders,
  );
});

const asset = httpHandler({}, async ({ path }): Promise<HttpResult> => {
  const name = path.asset ?? '';
  if (!isDashboardAsset(name)) {
    return html(404, renderDashboardError('No such file.'), pageHeaders);
  }
  const { body, contentType } = dashboardAsset(name);
  return { statusCode: 200, headers: { 'Content-Type': contentType, 'Cache-Control': ASSET_CACHE }, body };
});

export const handler = routeByResource('Dashboard', {
  '/dashboard': page,
  '/dashboard/assets/{asset}': asset,
});
