/** `npm run events -- tail [-n 20] [--follow]`: the local event archive (see infra/local/eventbridge/cli.ts). */
import { runEventsCli } from '../eventbridge/cli.ts';

process.exitCode = await runEventsCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
});
