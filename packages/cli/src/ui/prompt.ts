import { createInterface } from 'node:readline/promises';
import type { ErrorStream, InputStream } from '../context.js';

/** Thrown when the user presses Ctrl-C (or Ctrl-D on an empty line) at a prompt. */
export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled';
}

/** Asks one line on the terminal (the question goes to stderr so stdout stays clean). */
export async function ask(question: string, input: InputStream, output: ErrorStream): Promise<string> {
  const rl = createInterface({ input, output: output as NodeJS.WritableStream, terminal: true });
  try {
    const closed = new Promise<never>((_, reject) => rl.once('close', () => reject(new PromptCancelled())));
    return (await Promise.race([rl.question(question), closed])).trim();
  } finally {
    rl.close();
  }
}

/** Asks for a secret without echoing it: raw mode, one key at a time. */
export function askHidden(question: string, input: InputStream, output: ErrorStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    let secret = '';
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && secret === '')) return finish(new PromptCancelled());
        if (ch === '\u0004') return finish();
        if (ch === '\u007f' || ch === '\b') secret = Array.from(secret).slice(0, -1).join('');
        else if (ch === '\u0015') secret = ''; // Ctrl-U
        else if (ch >= ' ') secret += ch;
      }
    };
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

/** All of stdin (for a password piped in); the first line, without its line break. */
export async function readFirstLine(input: InputStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** The first `count` lines of stdin (passwords piped in one a line), without their line breaks. */
export async function readLines(input: InputStream, count: number): Promise<string[]> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.split('\n').length > count) break;
  }
  return text.split(/\r?\n/).slice(0, count);
}
