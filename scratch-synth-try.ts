import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { createRegionStacks, selectRegions, nagPacks, applyChecks } from './infra/stacks.ts';
const ctx = JSON.parse(readFileSync('/work/main/cdk.json', 'utf8')).context;
const t0 = Date.now();
const app = new App({ context: { ...ctx, 'aws:cdk:bundling-stacks': [] }, outdir: '/tmp/cdkout-try' });
const stacks = createRegionStacks(app, selectRegions("all")); applyChecks(app);
const asm = app.synth();
console.log('synth ms', Date.now() - t0);
for (const s of stacks) {
  for (const pack of nagPacks()) {
    const r = pack.validateScope(s);
    for (const v of r.violations) console.log(s.stackName, v.ruleName, v.severity, v.violatingResources.map((x: any) => x.constructPath).join(' | '));
  }
}
console.log('total ms', Date.now() - t0);
for (const s of stacks) {
  const t = asm.getStackByName(s.stackName).template;
  const types: Record<string, number> = {};
  for (const r of Object.values<any>(t.Resources)) types[r.Type] = (types[r.Type] ?? 0) + 1;
  console.log(s.stackName, types);
}
