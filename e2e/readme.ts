import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lab.ts';

/**
 * The README as a user reads it: the command lines it shows and its option table, parsed from
 * README.md itself so that the tests run what the README says, not a copy of it.
 */

export interface ReadmeCommand {
  /** The command as written, without its trailing comment. */
  text: string;
  /** The line of README.md it is on (1-based), for messages. */
  line: number;
  /** In a ```sh block, or inline code in the prose. */
  where: 'block' | 'inline';
}

export interface ReadmeOption {
  /** `port` for `--port N`. */
  flag: string;
  /** `N`, or null for a switch. */
  value: string | null;
  /** `PORT`, `PROCLENS_REVEAL_SECRETS` (without `=1`), or null. */
  env: string | null;
}

/** Inline code that is a command to type: these programs with arguments. */
const INLINE_COMMAND = /^(?:[A-Z_]+=\S+ )*(?:npm|docker-compose|docker|curl|openssl|stat|ssh) \S/;

/**
 * `docker top` or `docker run -e` in a sentence name a subcommand or an option; a docker command
 * to type has a subcommand and more than one lone option after it.
 */
function isCommand(text: string): boolean {
  if (!INLINE_COMMAND.test(text)) return false;
  const words = text.split(' ');
  return words[0] !== 'docker' || words.length > 3 || (words.length === 3 && !(words[2] ?? '').startsWith('-'));
}

export function readReadme(): string {
  return readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
}

/** Every command line in the README's shell blocks, and every inline command in its prose. */
export function parseReadmeCommands(readme: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  const lines = readme.split('\n');
  let fence: string | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const opening = /^```(\w*)/.exec(raw);
    if (opening) {
      fence = fence === null ? (opening[1] ?? '') : null;
      return;
    }
    if (fence === 'sh') {
      // A comment starts at a `#` preceded by blanks; `#` inside a word (a URL) is not one.
      const text = raw.replace(/(^|\s)#.*$/, '').trim();
      if (text) commands.push({ text, line, where: 'block' });
      return;
    }
    if (fence !== null) return;
    for (const match of raw.matchAll(/`([^`]+)`/g)) {
      const text = (match[1] ?? '').trim();
      if (isCommand(text)) commands.push({ text, line, where: 'inline' });
    }
  });
  return commands;
}

/** The rows of the `<!-- cli:serve -->` table: flag, value placeholder, environment variable. */
export function parseReadmeOptions(readme: string, command = 'serve'): ReadmeOption[] {
  const block = new RegExp(`<!-- cli:${command} -->\\n([\\s\\S]*?)<!-- /cli:${command} -->`).exec(readme)?.[1];
  if (!block) throw new Error(`README.md has no cli:${command} table`);
  return block
    .split('\n')
    .filter((row) => row.startsWith('| `--'))
    .map((row) => {
      const [flagCell = '', envCell = ''] = row.split(' | ').map((c) => c.replace(/^\| /, ''));
      const flag = /^`--([a-z-]+)(?: ([^`]+))?`$/.exec(flagCell.trim());
      if (!flag) throw new Error(`README option row not understood: ${row}`);
      const env = /^`([A-Z_]+)(?:=1)?`$/.exec(envCell.trim());
      return { flag: flag[1] ?? '', value: flag[2] ?? null, env: env?.[1] ?? null };
    });
}

/** The line `npm run lab` prints for the lab in `dir`, as the README shows it for its default folder. */
export function readmeExportLine(readme: string, dir: string): string {
  const line = parseReadmeCommands(readme).find((c) => c.text.startsWith('export DOCKER_HOST='));
  if (!line) throw new Error('README.md shows no export DOCKER_HOST= line');
  return line.text.replace('/tmp/proclens-lab', dir);
}
