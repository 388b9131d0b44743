/** Every route of the indicators API bound to its implementation, for handlers/api.ts. */
import type { Implementations } from '../../../shared/http/api.ts';
import { routes } from '../routes/index.ts';
import { importsApi } from './imports.ts';
import { indicatorsApi } from './indicators.ts';
import { recommendationsApi } from './recommendations.ts';
import { templatesApi } from './templates.ts';
import { vocabularyApi } from './vocabulary.ts';

const implementations: Implementations<typeof routes> = { ...vocabularyApi, ...indicatorsApi, ...recommendationsApi, ...importsApi, ...templatesApi };

export const api = { routes, implementations };
