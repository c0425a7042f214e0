import { afterEach, beforeEach, vi } from "vitest";

/**
 * Captures what the process writes to stdout and stderr during each test of the
 * file (the log lines), at the given LOG_LEVEL; `lines()` reads them back.
 */
export function captureOutput(logLevel: string): { lines: () => string[] } {
  let written: string[] = [];
  const level = process.env.LOG_LEVEL;
  beforeEach(() => {
    written = [];
    process.env.LOG_LEVEL = logLevel;
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env.LOG_LEVEL = level;
  });
  return { lines: () => written };
}
