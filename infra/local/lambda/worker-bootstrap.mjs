// The inside of a local "Lambda sandbox": a worker thread with its own environment, which
// imports one function's bundle (built by bundles.ts with the esbuild options CDK deploys, so
// plain JavaScript: no TypeScript loader here) and runs invocations sent by the host.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { bundle, functionName, memoryMb, region } = workerData;
const module = await import(pathToFileURL(bundle).href);
if (typeof module.handler !== 'function') throw new Error(`${bundle} does not export a handler function`);

function lambdaContext(requestId, deadline) {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

parentPort.on('message', async (message) => {
  const { id, event, requestId, deadline } = message;
  try {
    const value = await module.handler(event, lambdaContext(requestId, deadline));
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
parentPort.postMessage({ ready: true });
