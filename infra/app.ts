/**
 * The CDK app: the stacks of each selected region (`-c region=360000`, several comma-separated,
 * or `-c region=all`), a base stack `Jixiao-<code>`, a stack `Jixiao-<code>-<service>` per
 * service that depends on it, and the HTTP API's stage stack `Jixiao-<code>-api` that depends on
 * them all, checked by cdk-nag on every synthesis. The app holds only the selected regions'
 * stacks, so `cdk deploy -c region=360000 --all` deploys one region, base first, stage last.
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
