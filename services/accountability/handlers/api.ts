/** The accountability API Lambda: one implementation module per area under `api/`. */
import { createApiHandler } from '../../../shared/http/api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { alertsApi } from '../api/alerts.ts';
import { assessmentsApi } from '../api/assessments.ts';
import { casesApi } from '../api/cases.ts';
import { disclosureApi } from '../api/disclosure.ts';
import { rectificationsApi } from '../api/rectifications.ts';
import { reportsApi } from '../api/reports.ts';
import { timelineApi } from '../api/timeline.ts';
import { routes } from '../http.ts';

export const handler = createApiHandler(
  routes,
  { ...timelineApi, ...assessmentsApi, ...rectificationsApi, ...casesApi, ...alertsApi, ...disclosureApi, ...reportsApi },
  { idempotency: dynamoIdempotencyStore() },
);
