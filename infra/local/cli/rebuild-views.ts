/**
 * `npm run rebuild-views -- --year YYYY [--region CODE] [--verify]`: the maintained views of the
 * running local runtime (evaluation's coverage; each monitoring window's dashboard; accountability's
 * object summaries) against a full recomputation from their
 * sources. With --verify it only compares and lists every difference; without, it rebuilds each
 * view from its sources and verifies it after. It calls the services' own maintenance routes
 * (`GET …/views/verify`, `POST …/views/rebuild`) as a finance user, so in AWS the same work is
 * the same API call.
 *
 * Exit codes: 0 consistent (or rebuilt and consistent), 1 differences found or a failure
 * (runtime not running, an API error), 2 bad usage.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError, connectToRuntime, RuntimeNotRunning, RuntimeUnreachable, type Http } from './runtime-client.ts';

const USAGE = `Usage: npm run rebuild-views -- --year YYYY [--region CODE] [--verify]

Checks (--verify) or rebuilds the maintained views of a fiscal year in the running local runtime
(start it with \`npm start\`): evaluation coverage, each monitoring window's dashboard, and the object
summaries behind the People's Congress report and the assessments. --region picks one region of a
multi-region runtime (default: its first region).`;

/** The services with maintained views, and their maintenance routes. */
const SERVICES_WITH_VIEWS = ['evaluation', 'monitoring', 'accountability'] as const;

interface ViewResult {
  view: string;
  region: string;
  fiscalYear: number;
  consistent: boolean;
  differences: string[];
  deleted?: number;
  written?: number;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

async function runOn(http: Http, service: string, year: number, verifyOnly: boolean): Promise<ViewResult[]> {
  const request = verifyOnly
    ? { method: 'GET' as const, path: `/v1/${service}/views/verify?year=${year}` }
    : { method: 'POST' as const, path: `/v1/${service}/views/rebuild`, body: { fiscalYear: year } };
  const response = await http(request);
  if (response.status !== 200) throw new ApiError(request, response);
  return (response.body as { items: ViewResult[] }).items;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { year: { type: 'string' }, region: { type: 'string' }, verify: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.err(USAGE);
    return 0;
  }
  const year = Number(values.year);
  if (!values.year || !Number.isInteger(year) || year < 2000 || year > 2100) {
    io.err(`--year must be a fiscal year such as 2027 (got ${values.year ?? 'nothing'})\n\n${USAGE}`);
    return 2;
  }
  if (values.region !== undefined && !/^\d{6}$/.test(values.region)) {
    io.err(`--region must be a 6-digit division code (got ${values.region})\n\n${USAGE}`);
    return 2;
  }
  try {
    const { http } = await connectToRuntime(io.env, values.region, { role: 'finance', sub: 'rebuild-views' });
    let inconsistent = 0;
    for (const service of SERVICES_WITH_VIEWS) {
      for (const r of await runOn(http, service, year, values.verify === true)) {
        const done = values.verify ? 'verified' : `rebuilt (${r.deleted ?? 0} items removed, ${r.written ?? 0} written), then verified`;
        io.out(`${service}.${r.view} ${r.region} ${year}: ${done}: ${r.consistent ? 'consistent with its sources' : `${r.differences.length} difference(s)`}`);
        for (const d of r.differences) io.out(`  ${d}`);
        if (!r.consistent) inconsistent++;
      }
    }
    return inconsistent ? 1 : 0;
  } catch (error) {
    if (error instanceof RuntimeNotRunning || error instanceof RuntimeUnreachable || error instanceof ApiError) io.err(error.message);
    else io.err(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line), env: process.env });
}
