/**
 * `npm start`: runs the whole system locally until Ctrl-C.
 *
 *   npm start                     persistent data in .jixiao/data
 *   npm start -- --in-memory      throwaway run
 *   npm start -- --reset          wipe the data directory first
 *   npm start -- --region 360100  serve another configured region
 *   PORT=8080 npm start           HTTP front on another port (default 3000)
 */
import { parseArgs } from 'node:util';

// Node 20 runs locally while Lambda runs 22; the SDK's Node-20 notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { JavaMissingError } from '../dynamodb-local.ts';
import { startLocalRuntime, type LocalRuntime } from '../runtime.ts';
import { regionConfig } from '../../regions.ts';

const USAGE = `Usage: npm start [-- --in-memory] [-- --reset] [-- --region CODE]
Environment: PORT (HTTP front, default 3000), JIXIAO_HOME (state directory, default .jixiao), LOG_LEVEL (handler logs, default WARN)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        'in-memory': { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        region: { type: 'string', default: '360000' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got ${process.env.PORT}`);
    return 2;
  }

  let runtime: LocalRuntime | undefined;
  let stopping: Promise<void> | undefined;
  let firstSignalAt = 0;
  const shutdown = (signal: string, code: number) => {
    // npm and tsx relay the terminal's Ctrl-C to this process as well: one keypress can arrive
    // two or three times within milliseconds. Only a later, deliberate second Ctrl-C forces exit.
    if (stopping && Date.now() - firstSignalAt < 1500) return;
    if (stopping) {
      console.error(`\n${signal} again: exiting now (DynamoDB Local stops with this process).`);
      process.exit(code || 130);
    }
    firstSignalAt = Date.now();
    console.log(`\n${signal}: stopping the local runtime...`);
    stopping = (runtime?.stop() ?? Promise.resolve()).then(
      () => {
        console.log('Stopped.');
        process.exit(code);
      },
      (error: unknown) => {
        console.error(`Stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    console.error('Unexpected error:', error);
    shutdown('crash', 1);
  });

  try {
    const region = regionConfig(args.region);
    runtime = await startLocalRuntime({
      inMemory: args['in-memory'],
      reset: args.reset,
      regionCode: region.code,
      port,
      logLevel: process.env.LOG_LEVEL ?? 'WARN',
      log: (message) => console.error(message),
    });
    const seconds = (runtime.startedInMs / 1000).toFixed(1);
    console.log(
      [
        '',
        `Jixiao local runtime ready in ${seconds} s: region ${region.code} ${region.name.zh} (${region.name.pinyin})`,
        `  API          ${runtime.apiUrl}/v1   (GET /v1/health, GET /v1/openapi.json)`,
        `  EventBridge  ${runtime.eventBridgeUrl}`,
        `  DynamoDB     ${runtime.dynamodbEndpoint}`,
        `  Data         ${args['in-memory'] ? `${runtime.dataDir} (temporary, removed at stop)` : runtime.dataDir}`,
        '',
        `  Get a token: npm run token -- --role finance --region ${region.code}`,
        `  Try:         curl -H "Authorization: Bearer $(npm run -s token -- --role finance --region ${region.code})" ${runtime.apiUrl}/v1/indicators`,
        '  Events:      npm run events -- tail      Dead letters: npm run dlq -- list',
        '',
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    return -1;
  } catch (error) {
    if (error instanceof JavaMissingError) console.error(error.message);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${port} is in use. Stop what runs there, or start on another port: PORT=3001 npm start`);
    } else console.error(`The local runtime could not start: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

const code = await main();
if (code >= 0) process.exit(code);
