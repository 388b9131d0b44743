/**
 * The CDK app: one RegionStack per selected region (`-c region=360000`, several comma-separated,
 * or `-c region=all`), checked by cdk-nag on every synthesis.
 */
import { App } from 'aws-cdk-lib';
import { applyChecks, createRegionStacks, REGION_CONTEXT, selectRegions } from './stacks.ts';

const app = new App();
createRegionStacks(app, selectRegions(app.node.tryGetContext(REGION_CONTEXT)));
applyChecks(app);
app.synth();
