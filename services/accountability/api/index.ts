/** Binds every route of the accountability API (routes/index.ts) to its implementation, one module per area. */
import type { Implementations } from '../../../shared/http/api.ts';
import { routes } from '../routes/index.ts';
import { alertsApi } from './alerts.ts';
import { assessmentsApi } from './assessments.ts';
import { auditFindingsApi } from './audit-findings.ts';
import { casesApi } from './cases.ts';
import { disclosureApi } from './disclosure.ts';
import { rectificationsApi } from './rectifications.ts';
import { reportsApi } from './reports.ts';
import { rulesImplementations } from './rules.ts';
import { timelineApi } from './timeline.ts';
import { viewsApi } from './views.ts';

export { routes };

export const implementations: Implementations<typeof routes> = {
  ...timelineApi,
  ...assessmentsApi,
  ...rectificationsApi,
  ...auditFindingsApi,
  ...casesApi,
  ...rulesImplementations,
  ...alertsApi,
  ...disclosureApi,
  ...reportsApi,
  ...viewsApi,
};
