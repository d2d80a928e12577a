import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOptionsTable, listCliBlocks, renderCliBlocks } from './build-options-table.ts';
import { OPTIONS, buildUsage } from './parse-cli.ts';
import type { OptionSpec } from './parse-cli.ts';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

describe('buildOptionsTable', () => {
  const rows: OptionSpec[] = [
    { flag: 'port', value: 'N', env: 'PORT', commands: ['serve', 'agent'], help: 'port; 0 picks one', defaultText: '7700' },
    { flag: 'reveal', value: null, env: 'REVEAL', commands: ['serve'], help: 'show it (env: set to 1)', defaultText: 'masked' },
    { flag: 'nats', value: 'URL', env: null, commands: ['agent'], help: 'a|b', defaultText: '—' },
  ];

  it('buildOptionsTable renders one row per option of the command, with its variable, default and help', () => {
    expect(buildOptionsTable('serve', rows)).toBe(
      [
        '| flag | environment | default | what |',
        '| --- | --- | --- | --- |',
        '| `--port N` | `PORT` | 7700 | port; 0 picks one |',
        '| `--reveal` | `REVEAL=1` | masked | show it |',
      ].join('\n'),
    );
  });

  it('buildOptionsTable escapes a pipe inside a cell', () => {
    expect(buildOptionsTable('agent', rows)).toContain('| `--nats URL` |  | — | a\\|b |');
  });

  it('renderCliBlocks replaces each block and leaves the text around it alone', () => {
    const text = 'before\n<!-- cli:agent -->\nstale\n<!-- /cli:agent -->\nafter\n';
    expect(renderCliBlocks(text, rows)).toBe(`before\n<!-- cli:agent -->\n${buildOptionsTable('agent', rows)}\n<!-- /cli:agent -->\nafter\n`);
    expect(() => renderCliBlocks('<!-- cli:nope -->\n<!-- /cli:nope -->', rows)).toThrow(/no such command/);
  });
});

describe('README option tables', () => {
  const readme = readFileSync(README, 'utf8');

  it('README.md’s option tables are exactly what the option table renders (run `npm run docs:cli`)', () => {
    expect(listCliBlocks(readme)).toContain('serve');
    expect(readme).toBe(renderCliBlocks(readme));
  });

  it('every option of `proclens serve` is in the README and in --help', () => {
    const usage = buildUsage('serve');
    for (const o of OPTIONS.filter((spec) => spec.commands.includes('serve'))) {
      const flag = `--${o.flag}${o.value ? ` ${o.value}` : ''}`;
      expect(readme, flag).toContain(`\`${flag}\``);
      expect(usage, flag).toContain(flag);
    }
  });
});
