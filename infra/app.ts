/**
 * The CDK app: one RegionStack per selected region (`-c region=360000`, several comma-separated,
 * or `-c region=all`), checked by cdk-nag on every synthesis.
 */
import { App } from 'aws-cdk-lib';
import { UnknownRegionError } from './regions.ts';
import { applyChecks, createRegionStacks, REGION_CONTEXT, selectRegions } from './stacks.ts';

const app = new App();
try {
  createRegionStacks(app, selectRegions(app.node.tryGetContext(REGION_CONTEXT)));
} catch (error) {
  // A wrong or missing region is a usage error: say what to pass, without a stack trace.
  if (error instanceof UnknownRegionError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
applyChecks(app);
app.synth();
