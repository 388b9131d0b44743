import { describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { eventSource, workEventSource } from '../../events/sources.ts';
import { DEFAULT_MAX_ATTEMPTS } from '../../infra/constructs/event-targets.ts';
import { alarmTopicName, apiStageStackId, busName, httpApiIdExport, jwtAuthorizerIdExport, regionResourceName, serviceStackId, stackId } from '../../infra/naming.ts';
import {
  FORWARDED_TO_CHILDREN,
  FORWARDED_TO_CHILDREN_SOURCE,
  FORWARDED_TO_PARENT,
  REGIONS,
  apiThrottleOf,
  childrenOf,
  parentOf,
  partitionOf,
  regionConfig,
  type RegionConfig,
} from '../../infra/regions.ts';
import { manifests } from '../../services/registry.ts';
import { functionId, type FunctionDecl, type ServiceManifest } from '../../shared/manifest.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/outbox.ts';
import {
  asArray,
  functionsByName,
  importedExports,
  refOf,
  referencedIds,
  resourcesById,
  resourcesOf,
  statementsOfRole,
  synthRegions,
  type RegionTemplates,
  type Resource,
} from './synth.ts';

const { regions: built, stacks, templates } = synthRegions();
const templatesOf = (code: string): RegionTemplates => templates.get(code) as RegionTemplates;
/** The region's base stack: alarm topic, bus, forwarding, HTTP API. */
const base = (code: string): Template => templatesOf(code).base;
/** The region's API stage stack: the `$default` stage. */
const apiStage = (code: string): Template => templatesOf(code).api as Template;
/** A service's stack in the region. */
const serviceTemplate = (code: string, service: string): Template => templatesOf(code).services.get(service) as Template;
/** Every stack of the region. */
const all = (code: string): readonly Template[] => templatesOf(code).all;

/** Every (region, service, function) of the configured regions and registered manifests, with the service's stack. */
const deployed = REGIONS.flatMap((region) =>
  manifests.flatMap((manifest) => manifest.functions.map((decl) => ({ region, manifest, decl, t: serviceTemplate(region.code, manifest.name) }))),
);

function fnOf(t: Template, region: RegionConfig, manifest: ServiceManifest, decl: FunctionDecl) {
  const fn = functionsByName(t).get(regionResourceName(region.code, [functionId(manifest.name, decl.name)]));
  if (!fn) throw new Error(`no function for ${functionId(manifest.name, decl.name)} in ${region.code}`);
  return fn;
}

function tableIdOf(t: Template, region: RegionConfig, service: string): string | undefined {
  return resourcesOf(t, 'AWS::DynamoDB::GlobalTable').find(([, r]) => r.Properties?.TableName === regionResourceName(region.code, [service], 255))?.[0];
}

/** The region's one bus: in the base stack, none in a service stack. */
function busIdOf(code: string): string {
  const buses = resourcesOf(base(code), 'AWS::Events::EventBus');
  expect(buses).toHaveLength(1);
  for (const t of templatesOf(code).services.values()) expect(resourcesOf(t, 'AWS::Events::EventBus')).toEqual([]);
  return buses[0]![0];
}

/** The partition-free ARN of a region's bus, as a forwarding target or a service stack names it. */
function busArnOf(region: RegionConfig) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:${region.awsRegion}:${region.account}:event-bus/${busName(region.code)}`]] };
}

/**
 * How a service stack names the region bus (it is in the base stack): by the name the base
 * stack gives it. Checks that the base stack's bus has that name.
 */
function regionBusName(region: RegionConfig): string {
  const bus = resourcesById(base(region.code))[busIdOf(region.code)]!;
  expect(bus.Properties?.Name).toBe(busName(region.code));
  return busName(region.code);
}

/** The value of the base stack's output exported under `name`, checked to exist once. */
function exportedValue(code: string, name: string): unknown {
  const outputs = Object.values(base(code).toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>).filter((o) => o.Export?.Name === name);
  expect(outputs, name).toHaveLength(1);
  return outputs[0]!.Value;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Rules whose target is an event bus (the forwarding rules). */
function forwardingRules(t: Template): [string, Resource][] {
  return resourcesOf(t, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.Targets?.some((x: any) => JSON.stringify(x.Arn).includes(':event-bus/')));
}

function queue(t: Template, id: string): Resource {
  const q = t.toJSON().Resources[id] as Resource;
  expect(q?.Type).toBe('AWS::SQS::Queue');
  return q;
}

/** A parked message must be encrypted at rest and reachable only over TLS. */
function expectEncryptedTlsQueue(t: Template, queueId: string) {
  expect(queue(t, queueId).Properties?.SqsManagedSseEnabled).toBe(true);
  const policy = resourcesOf(t, 'AWS::SQS::QueuePolicy').find(([, p]) => referencedIds(p.Properties?.Queues).has(queueId));
  expect(JSON.stringify(policy?.[1].Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
}

describe('region stacks', () => {
  it('makes for each configured region a base stack, a stack per service and an API stage stack, in the account and AWS region of its configuration', () => {
    expect(stacks.map((s) => s.stackName)).toEqual(
      REGIONS.flatMap((r) => [stackId(r.code), ...manifests.map((m) => serviceStackId(r.code, m.name)), apiStageStackId(r.code)]),
    );
    expect(built.map((r) => r.region.code)).toEqual(REGIONS.map((r) => r.code));
    for (const { region, stacks: regionStacks } of built) {
      for (const stack of regionStacks) {
        expect(stack.account, stack.stackName).toBe(region.account);
        expect(stack.region, stack.stackName).toBe(region.awsRegion);
        expect(stack.terminationProtection, stack.stackName).toBe(true);
      }
    }
  });

  it('makes every service stack depend on its region’s base stack and on nothing else, so deploying it deploys the base first', () => {
    for (const { base: baseStack, services } of built) {
      expect(baseStack.dependencies).toEqual([]);
      expect(services.map((s) => s.manifest.name)).toEqual(manifests.map((m) => m.name));
      for (const service of services) expect(service.dependencies, service.stackName).toEqual([baseStack]);
    }
  });

  it('takes from the base stack by import only the HTTP API id and the JWT authorizer id, which API Gateway assigns; services export nothing', () => {
    for (const region of REGIONS) {
      expect(importedExports(base(region.code))).toEqual([]);
      const exported = Object.values(base(region.code).toJSON().Outputs as Record<string, { Export?: { Name: string } }>).flatMap((o) => (o.Export ? [o.Export.Name] : []));
      expect(exported.sort()).toEqual([httpApiIdExport(region.code), jwtAuthorizerIdExport(region.code)].sort());
      expect(exportedValue(region.code, httpApiIdExport(region.code))).toEqual({ Ref: resourcesOf(base(region.code), 'AWS::ApiGatewayV2::Api')[0]![0] });
      expect(exportedValue(region.code, jwtAuthorizerIdExport(region.code))).toEqual({ Ref: resourcesOf(base(region.code), 'AWS::ApiGatewayV2::Authorizer')[0]![0] });
      for (const manifest of manifests) {
        const t = serviceTemplate(region.code, manifest.name);
        const imports = new Set(importedExports(t));
        const routes = manifest.functions.flatMap((f) => f.routes ?? []);
        const expected = [
          ...(routes.length ? [httpApiIdExport(region.code)] : []),
          ...(routes.some((r) => r.auth === 'jwt') ? [jwtAuthorizerIdExport(region.code)] : []),
        ];
        expect([...imports].sort(), manifest.name).toEqual(expected.sort());
        const outputs = Object.values((t.toJSON().Outputs ?? {}) as Record<string, { Export?: unknown }>);
        expect(outputs.filter((o) => o.Export), manifest.name).toEqual([]);
      }
    }
  });

  it('forwards the detail-types a parent needs from each child’s bus (Nanchang, Jiujiang) to the parent’s bus, by a role and with a DLQ', () => {
    const children = REGIONS.filter((r) => r.parent !== undefined);
    expect(children.map((r) => r.code)).toEqual(expect.arrayContaining(['360100', '360400']));
    for (const child of children) {
      const parent = parentOf(child)!;
      const t = base(child.code);
      const rules = forwardingRules(t).filter(([, r]) => sameJson(r.Properties?.Targets[0].Arn, busArnOf(parent)));
      expect(rules, child.code).toHaveLength(1);
      const rule = rules[0]![1].Properties!;
      expect(rule.Name).toBe(`${busName(child.code)}-to-${parent.code}`);
      expect(refOf(rule.EventBusName)).toBe(busIdOf(child.code));
      expect(rule.EventPattern).toEqual({ source: [{ prefix: 'jixiao.' }], 'detail-type': [...FORWARDED_TO_PARENT] });
      const target = rule.Targets[0];
      expectEncryptedTlsQueue(t, refOf(target.DeadLetterConfig.Arn));
      const roleId = refOf(target.RoleArn);
      const role = t.toJSON().Resources[roleId] as Resource;
      expect(role.Properties?.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(statementsOfRole(t, roleId)).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: busArnOf(parent) }]);
    }
  });

  it('forwards the indicator library from every parent bus to each child’s bus, by a role per child and with a DLQ', () => {
    const pairs = REGIONS.flatMap((parent) => childrenOf(parent).map((child) => ({ parent, child })));
    expect(pairs.map(({ parent, child }) => `${parent.code}>${child.code}`)).toEqual(expect.arrayContaining(['360000>360100', '360000>360400']));
    for (const { parent, child } of pairs) {
      const t = base(parent.code);
      const rules = forwardingRules(t).filter(([, r]) => sameJson(r.Properties?.Targets[0].Arn, busArnOf(child)));
      expect(rules, `${parent.code} → ${child.code}`).toHaveLength(1);
      const rule = rules[0]![1].Properties!;
      expect(rule.Name).toBe(`${busName(parent.code)}-to-${child.code}`);
      expect(refOf(rule.EventBusName)).toBe(busIdOf(parent.code));
      expect(rule.EventPattern).toEqual({ source: [FORWARDED_TO_CHILDREN_SOURCE], 'detail-type': [...FORWARDED_TO_CHILDREN] });
      expect(rule.Targets).toHaveLength(1);
      const target = rule.Targets[0];
      expectEncryptedTlsQueue(t, refOf(target.DeadLetterConfig.Arn));
      const roleId = refOf(target.RoleArn);
      const role = t.toJSON().Resources[roleId] as Resource;
      expect(role.Properties?.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(statementsOfRole(t, roleId)).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: busArnOf(child) }]);
    }
  });

  it('forwards from each bus only to its parent and its children, never to a sibling or itself', () => {
    for (const region of REGIONS) {
      // Forwarding rules are in the base stack only; no service stack forwards anything.
      const targeted = all(region.code).flatMap((t) => forwardingRules(t).map(([, r]) => JSON.stringify(r.Properties?.Targets[0].Arn)));
      expect(targeted.length).toBe(forwardingRules(base(region.code)).length);
      const parent = parentOf(region);
      const expected = [...(parent ? [parent] : []), ...childrenOf(region)].map((r) => JSON.stringify(busArnOf(r)));
      expect(targeted.sort(), region.code).toEqual(expected.sort());
    }
    // The two cities of Jiangxi: no stack of either names the other's bus.
    for (const t of all('360100')) expect(JSON.stringify(t.toJSON())).not.toContain(`event-bus/${busName('360400')}`);
    for (const t of all('360400')) expect(JSON.stringify(t.toJSON())).not.toContain(`event-bus/${busName('360100')}`);
    // Jiangxi has no parent: no upward rule.
    for (const t of all('360000')) expect(forwardingRules(t).map(([, r]) => r.Properties?.EventPattern['detail-type'])).not.toContainEqual([...FORWARDED_TO_PARENT]);
  });

  it('lets a parent’s bus accept what its children forward, and each child’s bus accept its parent’s library, from their accounts only', () => {
    for (const region of REGIONS) {
      const t = base(region.code);
      for (const service of templatesOf(region.code).services.values()) expect(resourcesOf(service, 'AWS::Events::EventBusPolicy')).toEqual([]);
      const statements = resourcesOf(t, 'AWS::Events::EventBusPolicy').map(([, p]) => p.Properties!);
      for (const p of statements) expect(p.EventBusName).toEqual({ Ref: busIdOf(region.code) });
      const accepted = statements.map((p) => p.Statement.Principal.AWS['Fn::Join'][1][2] as string).sort();
      const parent = parentOf(region);
      const neighbours = [...(parent ? [parent] : []), ...childrenOf(region)].filter((r) => r.account !== region.account);
      expect(accepted, region.code).toEqual(neighbours.map((r) => `:iam::${r.account}:root`).sort());
      for (const child of childrenOf(region)) {
        t.hasResourceProperties('AWS::Events::EventBusPolicy', {
          StatementId: `cdk-AcceptFrom${child.code}`,
          Statement: {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${child.account}:root`]] } },
            Condition: { StringEquals: { 'events:detail-type': [...FORWARDED_TO_PARENT] } },
          },
        });
      }
      if (parent) {
        t.hasResourceProperties('AWS::Events::EventBusPolicy', {
          StatementId: `cdk-AcceptFrom${parent.code}`,
          Statement: {
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${parent.account}:root`]] } },
            Condition: { StringEquals: { 'events:source': FORWARDED_TO_CHILDREN_SOURCE, 'events:detail-type': [...FORWARDED_TO_CHILDREN] } },
          },
        });
      }
    }
  });

  it('names the region bus after the division and archives every Jixiao event', () => {
    for (const region of REGIONS) {
      const t = base(region.code);
      t.hasResourceProperties('AWS::Events::EventBus', { Name: busName(region.code) });
      t.hasResourceProperties('AWS::Events::Archive', { SourceArn: { 'Fn::GetAtt': [busIdOf(region.code), 'Arn'] }, EventPattern: { source: [{ prefix: 'jixiao.' }] } });
    }
  });
});

describe('tables', () => {
  it('has a table for every manifest table: on demand, PITR, deletion protection, retained, NEW_IMAGE stream, TTL', () => {
    for (const region of REGIONS) {
      const withTables = manifests.filter((m) => m.table);
      expect(all(region.code).flatMap((t) => resourcesOf(t, 'AWS::DynamoDB::GlobalTable'))).toHaveLength(withTables.length);
      expect(resourcesOf(base(region.code), 'AWS::DynamoDB::GlobalTable')).toEqual([]);
      for (const manifest of manifests) {
        // A service's table is in its own stack, the only table there.
        expect(resourcesOf(serviceTemplate(region.code, manifest.name), 'AWS::DynamoDB::GlobalTable'), manifest.name).toHaveLength(manifest.table ? 1 : 0);
      }
      for (const manifest of withTables) {
        const t = serviceTemplate(region.code, manifest.name);
        const spec = manifest.table!;
        const id = tableIdOf(t, region, manifest.name);
        expect(id, `${manifest.name} table in ${region.code}`).toBeDefined();
        const table = t.toJSON().Resources[id!] as Resource;
        expect(table.DeletionPolicy).toBe('Retain');
        expect(table.UpdateReplacePolicy).toBe('Retain');
        const p = table.Properties!;
        expect(p.BillingMode).toBe('PAY_PER_REQUEST');
        expect(p.KeySchema).toEqual([
          { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
          ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
        ]);
        expect(p.GlobalSecondaryIndexes.map((i: any) => i.IndexName)).toEqual(spec.indexes.map((i) => i.name));
        expect(p.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
        expect(p.TimeToLiveSpecification).toEqual({ AttributeName: spec.timeToLiveAttribute, Enabled: true });
        expect(p.Replicas[0]).toMatchObject({
          Region: region.awsRegion,
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        });
      }
      expect(tableIdOf(serviceTemplate(region.code, 'platform'), region, 'platform')).toBeUndefined();
    }
  });
});

describe('functions', () => {
  it('makes every manifest function a nodejs22.x arm64 function with the environment contract', () => {
    for (const { region, manifest, decl, t } of deployed) {
      const { resource } = fnOf(t, region, manifest, decl);
      const p = resource.Properties!;
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe('index.handler');
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      const env = p.Environment.Variables;
      expect(env).toMatchObject({
        SERVICE_NAME: manifest.name,
        REGION_CODE: region.code,
        EVENT_SOURCE: eventSource(manifest.name),
        EVENT_BUS_NAME: regionBusName(region),
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(env.POWERTOOLS_SERVICE_NAME).toContain(manifest.name);
      const ownTable = tableIdOf(t, region, manifest.name);
      if (ownTable && decl.kind !== 'relay') expect(env.TABLE_NAME).toEqual({ Ref: ownTable });
      else expect(env.TABLE_NAME).toBeUndefined();
      // Local-only endpoints must never reach AWS.
      expect(env.DYNAMODB_ENDPOINT).toBeUndefined();
      expect(env.EVENTBRIDGE_ENDPOINT).toBeUndefined();
      const logGroup = t.toJSON().Resources[refOf(p.LoggingConfig.LogGroup)] as Resource;
      expect(logGroup.Properties?.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('puts each service’s functions in its own stack and none in the base stack', () => {
    for (const region of REGIONS) {
      expect(resourcesOf(base(region.code), 'AWS::Lambda::Function')).toEqual([]);
      for (const manifest of manifests) {
        const names = [...functionsByName(serviceTemplate(region.code, manifest.name)).keys()].sort();
        expect(names, manifest.name).toEqual(manifest.functions.map((f) => regionResourceName(region.code, [functionId(manifest.name, f.name)])).sort());
      }
    }
  });
});

describe('HTTP API', () => {
  it('routes every manifest route to its service’s API function, with the JWT authorizer exactly on auth: jwt routes', () => {
    for (const region of REGIONS) {
      const declared = manifests.flatMap((m) => m.functions.flatMap((f) => (f.routes ?? []).map((r) => ({ m, f, r }))));
      // The base stack holds the API and its one authorizer; the routes are in the service stacks.
      expect(resourcesOf(base(region.code), 'AWS::ApiGatewayV2::Route')).toEqual([]);
      expect(all(region.code).flatMap((t) => resourcesOf(t, 'AWS::ApiGatewayV2::Route'))).toHaveLength(declared.length);
      expect(all(region.code).flatMap((t) => resourcesOf(t, 'AWS::ApiGatewayV2::Authorizer'))).toHaveLength(1);
      const apiId = { 'Fn::ImportValue': httpApiIdExport(region.code) };
      const authorizerId = { 'Fn::ImportValue': jwtAuthorizerIdExport(region.code) };
      // The imports are the base stack's API and authorizer.
      expect(exportedValue(region.code, httpApiIdExport(region.code))).toEqual({ Ref: resourcesOf(base(region.code), 'AWS::ApiGatewayV2::Api')[0]![0] });
      expect(exportedValue(region.code, jwtAuthorizerIdExport(region.code))).toEqual({ Ref: resourcesOf(base(region.code), 'AWS::ApiGatewayV2::Authorizer')[0]![0] });
      for (const { m, f, r } of declared) {
        // A route is in the stack of the service that serves it.
        const t = serviceTemplate(region.code, m.name);
        const routes = resourcesOf(t, 'AWS::ApiGatewayV2::Route');
        const found = routes.find(([, x]) => x.Properties?.RouteKey === `${r.method} ${r.path}`);
        expect(found, `${r.method} ${r.path}`).toBeDefined();
        const p = found![1].Properties!;
        expect(p.ApiId).toEqual(apiId);
        if (r.auth === 'jwt') {
          expect(p.AuthorizationType).toBe('JWT');
          expect(p.AuthorizerId).toEqual(authorizerId);
        } else {
          expect(p.AuthorizationType).toBe('NONE');
          expect(p.AuthorizerId).toBeUndefined();
        }
        const integration = t.toJSON().Resources[refOf(p.Target)] as Resource;
        expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', ApiId: apiId });
        expect(refOf(integration.Properties?.IntegrationUri)).toBe(fnOf(t, region, m, f).id);
      }
    }
  });

  it('lets API Gateway invoke each API function from the region’s API only', () => {
    for (const { region, manifest, decl, t } of deployed.filter((d) => d.decl.kind === 'api')) {
      const fnId = fnOf(t, region, manifest, decl).id;
      const permissions = resourcesOf(t, 'AWS::Lambda::Permission').filter(
        ([, x]) => refOf(x.Properties?.FunctionName) === fnId && x.Properties?.Principal === 'apigateway.amazonaws.com',
      );
      expect(permissions, functionId(manifest.name, decl.name)).toHaveLength(1);
      expect(permissions[0]![1].Properties?.SourceArn).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:execute-api:${region.awsRegion}:${region.account}:`, { 'Fn::ImportValue': httpApiIdExport(region.code) }, '/*/*/*']],
      });
    }
  });

  it('checks the issuer and audience of the region’s identity provider and allows its portal origins', () => {
    for (const region of REGIONS) {
      const t = base(region.code);
      t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: region.identity.issuer, Audience: [...region.identity.audience] },
      });
      const api = resourcesOf(t, 'AWS::ApiGatewayV2::Api')[0]![1].Properties!;
      expect(api.CorsConfiguration.AllowOrigins).toEqual([...region.portalOrigins]);
      expect(api.CorsConfiguration.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'idempotency-key', 'if-match']));
    }
  });

  it('throttles the default stage, in the API stage stack only, and writes a JSON access log line per request', () => {
    for (const region of REGIONS) {
      const stages = all(region.code).flatMap((x) => resourcesOf(x, 'AWS::ApiGatewayV2::Stage'));
      expect(stages).toHaveLength(1);
      const t = apiStage(region.code);
      const stage = resourcesOf(t, 'AWS::ApiGatewayV2::Stage')[0]![1].Properties!;
      expect(stage.ApiId).toEqual({ 'Fn::ImportValue': httpApiIdExport(region.code) });
      expect(stage.StageName).toBe('$default');
      expect(stage.AutoDeploy).toBe(true);
      expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: apiThrottleOf(region).rateLimit, ThrottlingBurstLimit: apiThrottleOf(region).burstLimit });
      if (region.apiThrottle) expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBe(region.apiThrottle.rateLimit);
      const format = JSON.parse(stage.AccessLogSettings.Format);
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
      const logGroup = t.toJSON().Resources[refOf(stage.AccessLogSettings.DestinationArn)] as Resource;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    }
  });
});

describe('subscriptions', () => {
  it('makes every subscription a rule on the region bus with the manifest pattern, a retry policy and a DLQ', () => {
    const subscribed = deployed.flatMap((d) => (d.decl.subscriptions ?? []).map((sub) => ({ ...d, sub })));
    expect(subscribed.length).toBeGreaterThan(0);
    for (const { region, manifest, decl, sub, t } of subscribed) {
      const rule = resourcesOf(t, 'AWS::Events::Rule').find(([, r]) => r.Properties?.Name === regionResourceName(region.code, [manifest.name, sub.name]));
      expect(rule, `${manifest.name}.${sub.name}`).toBeDefined();
      const p = rule![1].Properties!;
      // The bus is in the base stack; the rule names it.
      expect(p.EventBusName).toBe(regionBusName(region));
      expect(p.EventPattern).toEqual(sub.pattern);
      expect(p.Targets).toHaveLength(1);
      const target = p.Targets[0];
      expect(refOf(target.Arn)).toBe(fnOf(t, region, manifest, decl).id);
      expect(target.RetryPolicy.MaximumRetryAttempts).toBe((sub.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) - 1);
      expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expectEncryptedTlsQueue(t, refOf(target.DeadLetterConfig.Arn));
    }
  });

  it('sends invocations of consumers that still fail after Lambda’s retries to an on-failure queue', () => {
    for (const { region, manifest, decl, t } of deployed.filter((d) => d.decl.kind === 'consumer')) {
      const fnId = fnOf(t, region, manifest, decl).id;
      const config = resourcesOf(t, 'AWS::Lambda::EventInvokeConfig').find(([, c]) => refOf(c.Properties?.FunctionName) === fnId);
      expect(config, functionId(manifest.name, decl.name)).toBeDefined();
      const p = config![1].Properties!;
      expect(p.MaximumRetryAttempts).toBeLessThanOrEqual(2);
      expectEncryptedTlsQueue(t, refOf(p.DestinationConfig.OnFailure.Destination));
    }
  });
});

describe('outbox relays', () => {
  it('feeds every relay its own table’s stream, filtered to outbox inserts, with bisect, batch item failures and an on-failure queue', () => {
    const relays = deployed.filter((d) => d.decl.kind === 'relay');
    expect(relays.length).toBeGreaterThan(0);
    for (const { region, manifest, decl, t } of relays) {
      const fnId = fnOf(t, region, manifest, decl).id;
      const mappings = resourcesOf(t, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => refOf(m.Properties?.FunctionName) === fnId);
      expect(mappings).toHaveLength(1);
      const p = mappings[0]![1].Properties!;
      expect(p.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableIdOf(t, region, manifest.name), 'StreamArn'] });
      expect(p.FilterCriteria.Filters.map((f: any) => JSON.parse(f.Pattern))).toEqual([OUTBOX_STREAM_FILTER]);
      expect(p.BisectBatchOnFunctionError).toBe(true);
      expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(p.StartingPosition).toBe('TRIM_HORIZON');
      expect(p.MaximumRetryAttempts).toBeGreaterThan(0);
      expectEncryptedTlsQueue(t, refOf(p.DestinationConfig.OnFailure.Destination));
    }
  });
});

describe('least privilege', () => {
  it('lets each function reach only its own service’s table, and relays only its stream', () => {
    for (const { region, manifest, decl, t } of deployed) {
      // Every table of the region: other services' tables are in other stacks.
      const tableIds = new Set(all(region.code).flatMap((x) => resourcesOf(x, 'AWS::DynamoDB::GlobalTable').map(([id]) => id)));
      const ownTable = tableIdOf(t, region, manifest.name);
      const roleId = refOf(fnOf(t, region, manifest, decl).resource.Properties?.Role);
      const statements = statementsOfRole(t, roleId);
      const touched = new Set(statements.flatMap((s) => [...referencedIds(s.Resource)].filter((id) => tableIds.has(id))));
      const name = functionId(manifest.name, decl.name);
      expect([...touched], name).toEqual(ownTable ? [ownTable] : []);
      for (const s of statements) {
        for (const action of asArray<string>(s.Action)) expect(action, name).not.toMatch(/^\*$|:\*$/);
        // A table of another stack could only be named by ARN or import: DynamoDB actions go to
        // the own table's references alone, and no statement names a table or imports anything.
        if (asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:'))) expect([...referencedIds(s.Resource)], name).toEqual([ownTable]);
        expect(JSON.stringify(s.Resource), name).not.toMatch(/:dynamodb:|:table\/|Fn::ImportValue/);
      }
      if (decl.kind === 'relay') {
        const tableStatements = statements.filter((s) => referencedIds(s.Resource).has(ownTable!));
        expect(tableStatements.every((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [ownTable, 'StreamArn'] })), name).toBe(true);
      }
    }
  });

  it('lets only relays put events, only on the region bus and only under their own service’s source', () => {
    for (const { region, manifest, decl, t } of deployed) {
      const roleId = refOf(fnOf(t, region, manifest, decl).resource.Properties?.Role);
      const putEvents = statementsOfRole(t, roleId).filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('events:')));
      const name = functionId(manifest.name, decl.name);
      if (decl.kind !== 'relay') {
        expect(putEvents, name).toEqual([]);
        continue;
      }
      expect(putEvents, name).toHaveLength(1);
      expect(putEvents[0]!.Action).toBe('events:PutEvents');
      // The region bus (base stack) by its ARN, built from the name the base stack gives it.
      regionBusName(region);
      expect(putEvents[0]!.Resource).toEqual(busArnOf(region));
      expect(putEvents[0]!.Condition.StringEquals['events:source']).toEqual([eventSource(manifest.name), workEventSource(manifest.name)]);
    }
  });
});

describe('alarms', () => {
  it('alarms on every dead-letter queue and every function’s errors, to the KMS-encrypted alarm topic', () => {
    for (const region of REGIONS) {
      const b = base(region.code);
      // The alarm topic is in the base stack; the service stacks address it by its ARN.
      const alarmTopics = resourcesOf(b, 'AWS::SNS::Topic').filter(([, x]) => x.Properties?.TopicName === alarmTopicName(region.code));
      expect(alarmTopics).toHaveLength(1);
      const [[topicId, topic]] = alarmTopics as [[string, Resource]];
      const key = b.toJSON().Resources[refOf(topic.Properties?.KmsMasterKeyId)] as Resource;
      expect(key.Properties?.EnableKeyRotation).toBe(true);
      const topicArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:${region.awsRegion}:${region.account}:${topic.Properties?.TopicName}`]] };
      let queueCount = 0;
      // Every stack alarms on its own queues and functions.
      for (const t of all(region.code)) {
        const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
        for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([t === b ? { Ref: topicId } : topicArn]);
        const watching = (metric: string, dimension: string) =>
          new Set(alarms.filter((a) => a.MetricName === metric).map((a) => refOf(a.Dimensions.find((d: any) => d.Name === dimension).Value)));
        const queues = resourcesOf(t, 'AWS::SQS::Queue').map(([id]) => id);
        queueCount += queues.length;
        expect([...watching('ApproximateNumberOfMessagesVisible', 'QueueName')].sort()).toEqual(queues.sort());
        const functions = resourcesOf(t, 'AWS::Lambda::Function').map(([id]) => id);
        expect([...watching('Errors', 'FunctionName')].sort()).toEqual(functions.sort());
      }
      expect(queueCount).toBeGreaterThan(0);
      expect(resourcesOf(b, 'AWS::SQS::Queue').length).toBeGreaterThan(0);
    }
  });
});

describe('partitions', () => {
  it('writes no ARN with a fixed partition: every ARN takes AWS::Partition, also for regions in aws-cn', () => {
    expect(REGIONS.some((r) => partitionOf(r.awsRegion) === 'aws-cn')).toBe(true);
    for (const region of REGIONS) {
      for (const t of all(region.code)) expect(JSON.stringify(t.toJSON())).not.toMatch(/arn:aws[a-z-]*:/);
      // The API stage stack names no ARN at all; every other stack builds some.
      for (const t of [base(region.code), ...templatesOf(region.code).services.values()]) expect(JSON.stringify(t.toJSON())).toContain('{"Ref":"AWS::Partition"}');
    }
  });
});

describe('manifests beyond the registered ones', () => {
  // A region in the commercial partition, and a service using what no manifest uses yet.
  const singapore: RegionConfig = { ...regionConfig('360000'), code: '990000', name: { zh: '测试', pinyin: 'Test' }, awsRegion: 'ap-southeast-1' };
  // Any handler that exists will do: the probe is about the wiring, not the code.
  const anyEntry = manifests.find((m) => m.name === 'platform')!.functions[0]!.entry;
  const probe: ServiceManifest = {
    name: 'monitoring',
    description: 'probe',
    table: manifests.find((m) => m.name === 'monitoring')!.table!,
    functions: [
      {
        name: 'sweep',
        kind: 'scheduled',
        entry: anyEntry,
        description: 'nightly sweep',
        schedules: [{ name: 'nightly', expression: 'cron(0 18 * * ? *)' }],
      },
      {
        name: 'watch',
        kind: 'consumer',
        entry: anyEntry,
        description: 'two subscriptions',
        subscriptions: [
          { name: 'approved', pattern: { source: ['jixiao.declaration'], 'detail-type': ['TargetApproved'] }, maxAttempts: 3, maxEventAgeSeconds: 600 },
          { name: 'any', pattern: { source: [{ prefix: 'jixiao.' }] } },
        ],
      },
    ],
    publishes: [],
  };
  const probeRegion = synthRegions({ regions: [singapore], manifests: [probe] }).templates.get('990000')!;
  const t = probeRegion.services.get('monitoring')!;
  const fnIdOf = (name: string) => functionsByName(t).get(regionResourceName('990000', [functionId('monitoring', name)]))!.id;
  const rule = (name: string) => resourcesOf(t, 'AWS::Events::Rule').find(([, r]) => r.Properties?.Name === regionResourceName('990000', ['monitoring', name]))![1].Properties!;

  it('runs every manifest schedule as a rule on the default bus invoking its function, with retries and a DLQ', () => {
    const p = rule('nightly');
    expect(p.ScheduleExpression).toBe('cron(0 18 * * ? *)');
    expect(p.EventBusName).toBeUndefined();
    expect(refOf(p.Targets[0].Arn)).toBe(fnIdOf('sweep'));
    expect(p.Targets[0].RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expectEncryptedTlsQueue(t, refOf(p.Targets[0].DeadLetterConfig.Arn));
  });

  it('counts maxAttempts as deliveries (retries + 1) and defaults to EventBridge’s own limits', () => {
    expect(rule('approved').Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 });
    expect(rule('any').Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    expect(rule('approved').EventPattern).toEqual({ source: ['jixiao.declaration'], 'detail-type': ['TargetApproved'] });
  });

  it('synthesizes a region in the aws partition with the same partition-free ARNs', () => {
    for (const x of probeRegion.all) {
      const json = JSON.stringify(x.toJSON());
      expect(json).not.toMatch(/arn:aws[a-z-]*:/);
      expect(json).toContain('{"Ref":"AWS::Partition"}');
    }
  });
});
