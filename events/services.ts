/**
 * The names of the services that produce and consume events. It lives in `events/` (not in
 * `shared/manifest.ts`) because the event catalog names each event's producer and consumers,
 * and `events/` imports nothing from `shared/`; `shared/manifest.ts` re-exports it.
 */
export type ServiceName =
  | 'platform'
  | 'indicators'
  | 'declaration'
  | 'monitoring'
  | 'evaluation'
  | 'accountability';
