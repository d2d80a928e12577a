import { OPTIONS } from './parse-cli.ts';
import type { Command, OptionSpec } from './parse-cli.ts';

/**
 * The README's option tables, rendered from the one option table in parse-cli.ts between marker
 * comments, one block per command:
 *
 *   <!-- cli:serve -->
 *   …generated…
 *   <!-- /cli:serve -->
 *
 * Pure: text in, text out. `npm run docs:cli` writes the result; a unit test checks README.md is
 * already what this renders, so the README cannot drift from `--help`.
 */

const BLOCK = /<!-- cli:([a-z]+) -->\n[\s\S]*?<!-- \/cli:\1 -->/g;

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The environment variable as a user sets it: switches take `=1`. */
function envText(o: OptionSpec): string {
  if (!o.env) return '';
  return `\`${o.env}${o.value === null ? '=1' : ''}\``;
}

/** The markdown table of one command's options, in the option table's order. */
export function buildOptionsTable(command: Command, options: readonly OptionSpec[] = OPTIONS): string {
  const lines = ['| flag | environment | default | what |', '| --- | --- | --- | --- |'];
  for (const o of options.filter((spec) => spec.commands.includes(command))) {
    const flag = `\`--${o.flag}${o.value ? ` ${o.value}` : ''}\``;
    // Remarks about the environment belong in its column, not twice.
    const help = o.help.replace(/\s*\(env: [^)]*\)$/, '');
    lines.push(`| ${flag} | ${envText(o)} | ${cell(o.defaultText)} | ${cell(help)} |`);
  }
  return lines.join('\n');
}

/** `readme` with every `cli:<command>` block replaced by that command's table. */
export function renderCliBlocks(readme: string, options: readonly OptionSpec[] = OPTIONS): string {
  return readme.replace(BLOCK, (_whole, command: string) => {
    if (!options.some((o) => o.commands.includes(command as Command))) throw new Error(`README block cli:${command}: no such command`);
    return `<!-- cli:${command} -->\n${buildOptionsTable(command as Command, options)}\n<!-- /cli:${command} -->`;
  });
}

/** The commands of every `cli:` block in `readme`, in order. */
export function listCliBlocks(readme: string): string[] {
  return [...readme.matchAll(BLOCK)].map((m) => m[1] as string);
}
