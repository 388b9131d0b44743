// The inside of a local "Lambda sandbox": a worker thread with its own environment, which
// loads one function's handler module (TypeScript, through tsx) and runs invocations sent by
// the host. It is plain JavaScript because it must start before any TypeScript loader exists.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();

const { entry, functionName, memoryMb, region } = workerData;
const module = await import(pathToFileURL(entry).href);
if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler function`);

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
