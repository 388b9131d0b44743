/** `npm run dlq -- list | redrive [--id X]`: the local dead-letter store (see infra/local/eventbridge/cli.ts). */
import { runDlqCli } from '../eventbridge/cli.ts';

process.exitCode = await runDlqCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
});
