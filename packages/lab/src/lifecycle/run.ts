import { execFile } from 'node:child_process';

export class CommandError extends Error {
  readonly code: number | null;
  readonly stderr: string;

  constructor(cmd: string, args: readonly string[], code: number | null, stderr: string) {
    const line = [cmd, ...args].join(' ');
    super(
      `\`${line.length > 200 ? `${line.slice(0, 197)}...` : line}\` failed (exit ${code}): ${stderr.trim() || 'no message'}`,
    );
    this.name = 'CommandError';
    this.code = code;
    this.stderr = stderr;
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a host tool (ip, nft, sysctl) without a shell; rejects with the command line and its stderr. */
export function run(cmd: string, args: readonly string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof (err as NodeJS.ErrnoException).code === 'number' ? Number(err.code) : null;
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            reject(new Error(`\`${cmd}\` is not installed (needed by the lab)`));
            return;
          }
          reject(new CommandError(cmd, args, code, String(stderr)));
          return;
        }
        resolve({ stdout: String(stdout), stderr: String(stderr), code: 0 });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like run, but a non-zero exit is an answer, not an error. */
export async function tryRun(cmd: string, args: readonly string[], input?: string): Promise<RunResult> {
  try {
    return await run(cmd, args, input);
  } catch (err) {
    if (err instanceof CommandError) return { stdout: '', stderr: err.stderr, code: err.code ?? 1 };
    throw err;
  }
}
