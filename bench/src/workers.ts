import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
/** The flag that makes main.js run one scenario and print its result as JSON. */
export const WORKER_FLAG = '--worker=';

/**
 * Runs one scenario in a fresh Node process (main.js with {@link WORKER_FLAG}) and returns the JSON it
 * prints last: a fresh process has cold caches and a heap of its own, and nothing the engine
 * optimized for one scenario carries over to the next. Progress goes to this process's stderr.
 */
export function runWorker<T>(scenario: string, nodeFlags: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, MAIN, `${WORKER_FLAG}${scenario}`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`the ${scenario} scenario exited with code ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T);
      } catch (error) {
        reject(new Error(`the ${scenario} scenario printed no result: ${String(error)}`));
      }
    });
  });
}
