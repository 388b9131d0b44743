/**
 * One service of a region, built from its manifest alone: its table (if it has state), its
 * functions, and for each function what invokes it: HTTP routes on the region's HTTP API,
 * subscriptions, schedules, the outbox relay; and the keys and checkpoint bucket its functions'
 * `keyUses` call for (service-keys.ts). It lives in the service's own stack
 * (infra/service-stack.ts) and reaches the region's bus, alarm topic and HTTP API through what
 * that stack passes in.
 */
import { Tags } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { ServiceManifest } from '../../shared/manifest.ts';
import type { RegionConfig } from '../regions.ts';
import type { Alarms } from './alarms.ts';
import { schedule, subscribe } from './event-targets.ts';
import { ServiceRoutes } from './http-api.ts';
import { NotificationTopic } from './notification-topic.ts';
import { relayOutbox } from './outbox-relay.ts';
import { ServiceFunction } from './service-function.ts';
import { ServiceKeys } from './service-keys.ts';
import { ServiceTable } from './service-table.ts';

export interface ServiceProps {
  readonly region: RegionConfig;
  readonly manifest: ServiceManifest;
  /** The region's bus (in the base stack, addressed by name). */
  readonly bus: events.IEventBus;
  /** The alarms of the service's stack, to the region's alarm topic. */
  readonly alarms: Alarms;
  readonly repoRoot: string;
}

export class Service extends Construct {
  readonly manifest: ServiceManifest;
  readonly table?: dynamodb.TableV2;
  /** The keys and checkpoints the functions' `keyUses` call for; absent if they declare none. */
  readonly keys?: ServiceKeys;
  readonly functions: readonly ServiceFunction[];
  /** The manifest's notification topics, by name. */
  readonly topics: ReadonlyMap<string, NotificationTopic>;
  /** The routes of the service's API functions on the region's HTTP API. */
  readonly routes?: ServiceRoutes;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const { region, manifest, bus, alarms } = props;
    this.manifest = manifest;
    Tags.of(this).add('jixiao:service', manifest.name);

    this.keys = ServiceKeys.forManifest(this, 'Keys', { region, manifest });
    if (manifest.table) {
      const encryptionKey = this.keys?.secretsKey;
      this.table = new ServiceTable(this, 'Table', { regionCode: region.code, service: manifest.name, spec: manifest.table, ...(encryptionKey ? { encryptionKey } : {}) }).table;
    }

    this.functions = manifest.functions.map((decl) => {
      const target = new ServiceFunction(this, decl.name, {
        region,
        manifest,
        decl,
        ...(this.table ? { table: this.table } : {}),
        ...(this.keys ? { keys: this.keys } : {}),
        bus,
        alarms,
        repoRoot: props.repoRoot,
      });
      const ctx = { regionCode: region.code, manifest, bus, alarms };
      switch (decl.kind) {
        case 'api':
          break; // routes: below, all API functions of the service together
        case 'consumer':
          subscribe(target, ctx);
          break;
        case 'scheduled':
          schedule(target, ctx);
          break;
        case 'relay':
          // defineService guarantees a NEW_IMAGE stream for relays.
          if (!this.table) throw new Error(`${target.functionId}: a relay needs the service table`);
          relayOutbox(target, { manifest, table: this.table, bus, alarms });
          break;
      }
      return target;
    });

    const apiFunctions = this.functions.filter((f) => f.decl.kind === 'api');
    if (apiFunctions.length) this.routes = new ServiceRoutes(this, 'Http', { regionCode: region.code, apiFunctions });

    this.topics = new Map(
      (manifest.topics ?? []).map((decl) => [decl.name, new NotificationTopic(this, `Topic-${decl.name}`, { regionCode: region.code, manifest, decl, bus, alarms })]),
    );
  }
}
