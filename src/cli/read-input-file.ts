import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** A file named on the command line, as text; one that cannot be read is a usage error (exit 2). */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code ?? error}`,
    );
  }
}
