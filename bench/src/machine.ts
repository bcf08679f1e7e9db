import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Where the numbers were measured: date, cores, CPU model and Node version. */
export function machineLine(now = new Date()): string {
  return `Measured ${now.toISOString().slice(0, 10)} on ${availableParallelism()} cores (${cpuModel()}), Node ${process.version}.`;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}
