/**
 * `npm start`: runs the whole system locally until Ctrl-C.
 *
 *   npm start                     persistent data in .jixiao/data
 *   npm start -- --in-memory      throwaway run
 *   npm start -- --reset          wipe the data directory first
 *   npm start -- --region 360100  serve another configured region
 *   npm start -- --region 360000 --region 360100
 *                                 several regions, events forwarded between them (ports 3000, 3001, ...)
 *   npm start -- --regions all    every configured region
 *   PORT=8080 npm start           HTTP front on another port (default 3000)
 */
import { parseArgs } from 'node:util';

// Node 20 runs locally while Lambda runs 22; the SDK's Node-20 notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { JavaMissingError } from '../dynamodb-local.ts';
import { selectRegions, startLocalRuntimes, type LocalRuntimes } from '../multi-region.ts';
import { FORWARDED_TO_CHILDREN, FORWARDED_TO_PARENT, UnknownRegionError, forwardingRoutes, type RegionConfig } from '../../regions.ts';

const USAGE = `Usage: npm start [-- --in-memory] [-- --reset] [-- --region CODE ...] [-- --regions all|CODE,CODE] [-- --warm-all]
  --region CODE   serve this region; repeat it for several (default 360000)
  --regions all   serve every configured region (or a comma-separated list)
  --warm-all      warm every region's API sandboxes once ready (default: the first region's only)
Environment: PORT (first region's HTTP front, default 3000; the next regions get PORT+1, ...; 0 picks free ports),
             JIXIAO_HOME (state directory, default .jixiao), LOG_LEVEL (handler logs, default WARN),
             JIXIAO_SANDBOX_IDLE_MS (reap idle sandboxes, default 600000), JIXIAO_SANDBOX_CONCURRENCY (per function),
             JIXIAO_BUNDLE_CACHE (function bundles, default node_modules/.cache/jixiao/bundles)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        'in-memory': { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        region: { type: 'string', multiple: true },
        regions: { type: 'string' },
        'warm-all': { type: 'boolean', default: false },
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

  let selected: RegionConfig[];
  try {
    selected = selectRegions(args.region, args.regions);
  } catch (error) {
    if (!(error instanceof UnknownRegionError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }

  let runtime: LocalRuntimes | undefined;
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
    runtime = await startLocalRuntimes({
      regionCodes: selected.map((r) => r.code),
      inMemory: args['in-memory'],
      reset: args.reset,
      port,
      // In the background once ready: one sandbox per API function, then every other bundle built.
      warm: true,
      warmAdditionalRegions: args['warm-all'],
      logLevel: process.env.LOG_LEVEL ?? 'WARN',
      log: (message) => console.error(message),
    });
    console.log(banner(runtime, selected, args['in-memory'], args['warm-all']));
    const started = runtime;
    void Promise.all(started.runtimes.map((r) => r.warmed)).then(() => {
      if (!stopping) console.log(warmedLine(started));
    });
    return -1;
  } catch (error) {
    if (error instanceof JavaMissingError) console.error(error.message);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const ports = selected.length > 1 && port !== 0 ? `One of ports ${port}..${port + selected.length - 1} is` : `Port ${port} is`;
      console.error(`${ports} in use. Stop what runs there, or start on another port: PORT=${port === 0 ? 3000 : port + selected.length} npm start`);
    } else console.error(`The local runtime could not start: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

function banner(runtime: LocalRuntimes, selected: readonly RegionConfig[], inMemory: boolean, warmAll: boolean): string {
  const seconds = (runtime.startedInMs / 1000).toFixed(1);
  const data = inMemory ? `${runtime.dataDir} (temporary, removed at stop)` : runtime.dataDir;
  const footer = ['  Events:      npm run events -- tail      Dead letters: npm run dlq -- list', '', 'Press Ctrl-C to stop.'];
  if (selected.length === 1) {
    const [region] = selected as [RegionConfig];
    const [r] = runtime.runtimes as [LocalRuntimes['runtimes'][number]];
    return [
      '',
      `Jixiao local runtime ready in ${seconds} s: region ${region.code} ${region.name.zh} (${region.name.pinyin})`,
      `  API          ${r.apiUrl}/v1   (GET /v1/health, GET /v1/openapi.json)`,
      `  EventBridge  ${r.eventBridgeUrl}`,
      `  DynamoDB     ${runtime.dynamodbEndpoint}`,
      `  Data         ${data}`,
      '',
      `  Get a token: npm run token -- --role finance --region ${region.code}`,
      `  Try:         curl -H "Authorization: Bearer $(npm run -s token -- --role finance --region ${region.code})" ${r.apiUrl}/v1/indicators`,
      ...footer,
    ].join('\n');
  }
  const running = new Set(selected.map((r) => r.code));
  const lines = ['', `Jixiao local runtime ready in ${seconds} s: ${selected.length} regions`];
  for (const [i, region] of selected.entries()) {
    const r = runtime.runtimes[i]!;
    const parent = region.parent ? `, parent ${region.parent}${running.has(region.parent) ? '' : ' (not running)'}` : '';
    const sandboxes = i === 0 || warmAll ? 'API sandboxes warming' : 'sandboxes start on first use';
    lines.push(`  ${region.code} ${region.name.zh} (${region.name.pinyin})${parent}; ${sandboxes}`, `    API          ${r.apiUrl}/v1`, `    EventBridge  ${r.eventBridgeUrl}`);
  }
  const routes = selected.flatMap((r) => forwardingRoutes(r)).filter((route) => running.has(route.to.code));
  const pairs = (direction: string) => routes.filter((route) => route.direction === direction).map((route) => `${route.from.code}→${route.to.code}`);
  lines.push(
    `  DynamoDB     ${runtime.dynamodbEndpoint} (shared; tables jixiao-<code>-<service>)`,
    `  Data         ${data} (further regions in regions/<code>/)`,
    `  Forwarding   up   ${pairs('to-parent').join(' ') || '(none)'}: ${FORWARDED_TO_PARENT.join(', ')}`,
    `               down ${pairs('to-child').join(' ') || '(none)'}: ${FORWARDED_TO_CHILDREN.join(', ')} from jixiao.indicators`,
    '',
    `  Get a token: npm run token -- --role finance --region <code>   (each region's API takes its own region's tokens)`,
    '  Events:      npm run events -- tail --region <code>      Dead letters: npm run dlq -- list --region <code>',
    '',
    'Press Ctrl-C to stop.',
  );
  return lines.join('\n');
}

/** One line once the background warming is done: each warmed function's cold start. */
function warmedLine(runtime: LocalRuntimes): string {
  const starts = runtime.runtimes.flatMap((r) =>
    Object.values(r.stats()).flatMap((f) => {
      const first = f.coldStartLog[0];
      return first ? [`${runtime.runtimes.length > 1 ? `${r.regionCode}/` : ''}${f.name} ${first.ms.toFixed(0)} ms${first.built ? ' (built)' : ''}`] : [];
    }),
  );
  return starts.length ? `API sandboxes warm; cold starts: ${starts.join(', ')}` : 'No sandbox warmed.';
}

const code = await main();
if (code >= 0) process.exit(code);
