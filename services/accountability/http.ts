/**
 * HTTP routes of the accountability service, one module per area under `http/`:
 * timeline and search, assessments (考核), rectification orders (整改), accountability cases
 * (问责), supervisor alerts, public disclosure and the People's Congress report.
 */
import { alertRoutes } from './http/alerts.ts';
import { assessmentRoutes } from './http/assessments.ts';
import { caseRoutes } from './http/cases.ts';
import { disclosureRoutes } from './http/disclosure.ts';
import { rectificationRoutes } from './http/rectifications.ts';
import { reportRoutes } from './http/reports.ts';
import { timelineRoutes } from './http/timeline.ts';

export const routes = {
  ...timelineRoutes,
  ...assessmentRoutes,
  ...rectificationRoutes,
  ...caseRoutes,
  ...alertRoutes,
  ...disclosureRoutes,
  ...reportRoutes,
};
