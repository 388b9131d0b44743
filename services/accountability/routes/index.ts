/**
 * HTTP routes of the accountability service, one module per area: timeline and search,
 * assessments (考核), rectification orders (整改) and audit findings filed in batches, accountability cases (问责), the service's
 * rules, supervisor alerts, public disclosure, the People's Congress report, and the maintenance of
 * its maintained view (the object summaries per department).
 */
import { alertRoutes } from './alerts.ts';
import { assessmentRoutes } from './assessments.ts';
import { auditFindingRoutes } from './audit-findings.ts';
import { caseRoutes } from './cases.ts';
import { disclosureRoutes } from './disclosure.ts';
import { rectificationRoutes } from './rectifications.ts';
import { reportRoutes } from './reports.ts';
import { rulesRoutes } from './rules.ts';
import { timelineRoutes } from './timeline.ts';
import { viewRoutes } from './views.ts';

export const routes = {
  ...timelineRoutes,
  ...assessmentRoutes,
  ...rectificationRoutes,
  ...auditFindingRoutes,
  ...caseRoutes,
  ...rulesRoutes,
  ...alertRoutes,
  ...disclosureRoutes,
  ...reportRoutes,
  ...viewRoutes,
};
