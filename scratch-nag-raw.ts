import { App, Validations } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
(Validations.prototype as any).acknowledge = function () {};
const { createRegionStacks, selectRegions, nagPacks } = await import('./infra/stacks.ts');
const ctx = JSON.parse(readFileSync('./cdk.json', 'utf8')).context;
const app = new App({ context: { ...ctx, 'aws:cdk:bundling-stacks': [] }, outdir: '/tmp/cdkout-raw' });
const stacks = createRegionStacks(app, selectRegions('all'));
for (const s of stacks.slice(1)) for (const pack of nagPacks()) for (const v of pack.validateScope(s).violations)
  console.log(v.ruleName, v.severity, v.violatingResources.map((x: any) => x.constructPath.replace('Jixiao-360100/', '')).join(' | '));
