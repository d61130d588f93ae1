import { spawn } from 'node:child_process';
import { access, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { err, ok, type DomainError, type Result } from '@telecrm/core';
import { unreadable } from './readers.errors.js';

/** A conversion that takes longer is stopped: LibreOffice on a sound file needs seconds. */
export const CONVERSION_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_CHARS = 4000;

export interface ConvertedWorkbook {
  path: string;
  cleanup(): Promise<void>;
}

type RunOutcome = { kind: 'missing' } | { kind: 'done'; timedOut: boolean; output: string };

function run(command: string, args: string[], workDir: string, timeoutMs: number): Promise<RunOutcome> {
  return new Promise((resolve) => {
    // Its own process group: `soffice` is a script that starts soffice.bin, and a timeout must end both.
    // TMPDIR: what LibreOffice leaves behind (it may, when stopped) goes with the work folder.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, TMPDIR: workDir } });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT_CHARS) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group ended between the timer and the kill.
      }
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT' || e.code === 'EACCES') resolve({ kind: 'missing' });
      else resolve({ kind: 'done', timedOut: false, output: e.message });
    });
    // The exit code says nothing: LibreOffice exits with 0 when it cannot load the input.
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ kind: 'done', timedOut, output });
    });
  });
}

const exists = (path: string): Promise<boolean> => access(path).then(
  () => true,
  () => false,
);

/**
 * Converts a legacy .xls (or an HTML/XML table saved as .xls) to xlsx with LibreOffice headless, in a
 * fresh temporary folder with its own LibreOffice profile, so conversions can run side by side and a
 * machine where LibreOffice never ran works too. IMPORT.XLS_UNSUPPORTED when conversion is off or the
 * command does not exist.
 */
export async function convertXlsToXlsx(path: string, soffice: string | null, tmpDir: string): Promise<Result<ConvertedWorkbook, DomainError>> {
  if (soffice === null) return err({ code: 'IMPORT.XLS_UNSUPPORTED' });
  const workDir = await mkdtemp(join(tmpDir, 'xls-'));
  const cleanup = () => rm(workDir, { recursive: true, force: true });
  try {
    // LibreOffice names its output after its input, and uploads are stored under any name.
    const input = join(workDir, 'source.xls');
    const outDir = join(workDir, 'out');
    await copyFile(path, input);
    await mkdir(outDir);
    const profile = pathToFileURL(join(workDir, 'lo-profile')).href;
    const outcome = await run(
      soffice,
      ['--headless', '--norestore', '--nolockcheck', `-env:UserInstallation=${profile}`, '--convert-to', 'xlsx', '--outdir', outDir, input],
      workDir,
      CONVERSION_TIMEOUT_MS,
    );
    if (outcome.kind === 'missing') {
      await cleanup();
      return err({ code: 'IMPORT.XLS_UNSUPPORTED' });
    }
    const output = join(outDir, 'source.xlsx');
    // Only the output file tells whether it worked.
    if (outcome.timedOut || !(await exists(output))) {
      await cleanup();
      const said = outcome.output.split('\n').find((line) => /error/i.test(line))?.trim();
      const reason = outcome.timedOut ? `conversion took longer than ${CONVERSION_TIMEOUT_MS / 1000} s` : `conversion failed${said ? `: ${said}` : ''}`;
      return err(unreadable(reason));
    }
    return ok({ path: output, cleanup });
  } catch (e) {
    await cleanup();
    throw e;
  }
}
