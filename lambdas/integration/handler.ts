import { istDateOf } from '../core/calendar';
import { formatDayNumber, requireIsoDate } from '../core/iso-date';
import { departmentApiKey } from '../departments/api-key-auth';
import { PAGE_HEADERS, renderPage, html as safeHtml } from '../shared/html';
import { html, httpHandler, json } from '../shared/http';
import { publicBaseUrl } from '../shared/settings';
import { integrationKit } from './kit';
import { departmentServiceCodes, integrationContact } from './repository';

/**
 * GET /v1/integration: the hand-over kit of the calling department (its codes, URLs, ready-to-paste
 * requests), as JSON, or as a page when the client asks for text/html.
 */
export const handler = httpHandler({ auth: departmentApiKey }, async ({ caller: department, event }) => {
  const now = new Date();
  const [services, contact] = await Promise.all([
    departmentServiceCodes(department.departmentId),
    integrationContact(),
  ]);
  const kit = integrationKit({
    baseUrl: publicBaseUrl(),
    services: services.filter((s) => s.status !== 'rejected'),
    contact,
    exampleDate: formatDayNumber(requireIsoDate(istDateOf(now)) - 1),
  });
  const accept = event.headers?.accept ?? '';
  if (/text\/html/.test(accept) && !/application\/json/.test(accept)) {
    const body = safeHtml`${kit.sections.map(
      (section) =>
        safeHtml`<h2>${section.heading}</h2>${section.paragraphs.map((p) => safeHtml`<p>${p}</p>`)}${(
          section.commands ?? []
        ).map((c) => safeHtml`<pre>${c}</pre>`)}`,
    )}`;
    return html(200, renderPage({ title: `${department.name}: e-Taal integration kit`, body }), {
      ...PAGE_HEADERS,
    });
  }
  return json(200, { department: { code: department.code, name: department.name }, ...kit });
});
