/**
 * `npm run token -- --role finance --region 360000 [--department D] [--unit U] [--body congress|audit] [--sub S] [--ttl SECONDS]`
 * prints a development token signed by the local key, and nothing else, on stdout.
 */
import { parseArgs } from 'node:util';
import { RoleSchema, SupervisoryBodySchema } from '../../../events/envelope.ts';
import { issueToken, loadOrCreateKeys } from '../keys.ts';
import { jixiaoHome } from '../paths.ts';

const USAGE = 'Usage: npm run token -- --role unit|department|finance|supervisor --region CODE [--department D] [--unit U] [--body congress|audit (supervisors: People\'s Congress or audit)] [--sub SUBJECT] [--ttl SECONDS]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  values = parseArgs({
    options: {
      role: { type: 'string' },
      region: { type: 'string' },
      department: { type: 'string' },
      unit: { type: 'string' },
      body: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: String(8 * 3600) },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.error(USAGE);
  process.exit(0);
}
if (!values.role || !RoleSchema.safeParse(values.role).success) fail(`--role must be one of unit, department, finance, supervisor (got ${values.role ?? 'nothing'})`);
if (!values.region || !/^\d{6}$/.test(values.region)) fail(`--region must be a 6-digit division code (got ${values.region ?? 'nothing'})`);
if (values.role === 'unit' && !values.unit) fail('a unit token needs --unit (and usually --department)');
if (values.role === 'department' && !values.department) fail('a department token needs --department');
if (values.body !== undefined && (values.role !== 'supervisor' || !SupervisoryBodySchema.safeParse(values.body).success)) fail('--body is congress or audit, on a supervisor token only');
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 1) fail('--ttl must be a positive number of seconds');

const keys = await loadOrCreateKeys(jixiaoHome());
const token = await issueToken(
  keys,
  { role: values.role, region: values.region, department: values.department, unit: values.unit, supervisoryBody: values.body, sub: values.sub },
  { ttlSeconds: ttl },
);
process.stdout.write(`${token}\n`);
