/**
 * The e-Taal service categories, in their usual order. A module of its own (re-exported by ./template)
 * so that code needing only the list, like the dashboard, does not build the template's zod schemas.
 */
export const SERVICE_CATEGORIES = ['G2C', 'G2B', 'B2C', 'G2G'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
