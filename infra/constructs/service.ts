/**
 * One service of a region, built from its manifest alone: its table (if it has state), its
 * functions, and for each function what invokes it (HTTP routes are collected by the region's
 * HTTP API; subscriptions, schedules and the outbox relay are wired here).
 */
import { Tags } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { ServiceManifest } from '../../shared/manifest.ts';
import type { RegionConfig } from '../regions.ts';
import type { Alarms } from './alarms.ts';
import { schedule, subscribe } from './event-targets.ts';
import { NotificationTopic } from './notification-topic.ts';
import { relayOutbox } from './outbox-relay.ts';
import { ServiceFunction } from './service-function.ts';
import { ServiceTable } from './service-table.ts';

export interface ServiceProps {
  readonly region: RegionConfig;
  readonly manifest: ServiceManifest;
  readonly bus: events.IEventBus;
  readonly alarms: Alarms;
  readonly repoRoot: string;
}

export class Service extends Construct {
  readonly manifest: ServiceManifest;
  readonly table?: dynamodb.TableV2;
  readonly functions: readonly ServiceFunction[];
  /** The manifest's notification topics, by name. */
  readonly topics: ReadonlyMap<string, NotificationTopic>;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const { region, manifest, bus, alarms } = props;
    this.manifest = manifest;
    Tags.of(this).add('jixiao:service', manifest.name);

    if (manifest.table) {
      this.table = new ServiceTable(this, 'Table', { regionCode: region.code, service: manifest.name, spec: manifest.table }).table;
    }

    this.functions = manifest.functions.map((decl) => {
      const target = new ServiceFunction(this, decl.name, {
        region,
        manifest,
        decl,
        ...(this.table ? { table: this.table } : {}),
        bus,
        alarms,
        repoRoot: props.repoRoot,
      });
      const ctx = { regionCode: region.code, manifest, bus, alarms };
      switch (decl.kind) {
        case 'api':
          break; // routes: RegionHttpApi
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

    this.topics = new Map(
      (manifest.topics ?? []).map((decl) => [decl.name, new NotificationTopic(this, `Topic-${decl.name}`, { regionCode: region.code, manifest, decl, bus, alarms })]),
    );
  }
}
