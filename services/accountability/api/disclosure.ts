/** Implementations of the disclosure routes (being built, issue #7). */
import type { Implementations } from '../../../shared/http/api.ts';
import type { disclosureRoutes } from '../http/disclosure.ts';

export const disclosureApi: Implementations<typeof disclosureRoutes> = {};
