#!/usr/bin/env node
/**
 * `api-accounts`: the operator's command line. Reads the host's manager
 * from its configuration module and runs one command as an operator holding
 * `SETTINGS_ADMINISTRATOR`. Results go to stdout (tables, or JSON with
 * `--json`); progress and prompts to stderr. Exit status: 0 done, 1 refused
 * (the error's type printed), 2 a usage or configuration mistake.
 *
 * @module
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { SETTINGS_ADMINISTRATOR } from '../core/actor.js';
import { DEFAULT_TENANT, isTenant } from '../core/tenant.js';
import { COMMANDS, type Command, describeError } from './commands.js';
import { loadConfig, UsageError } from './config.js';

const GLOBAL_OPTIONS = {
  config: {
    type: 'string',
    help: 'The configuration module (default api-accounts.config.{ts,js,mjs})',
  },
  json: { type: 'boolean', help: 'Print JSON instead of a table' },
  actor: { type: 'string', help: 'Who acts, as the history records it (default cli:$USER)' },
  tenant: { type: 'string', help: "The tenant (venue) to act in (default 'default')" },
  help: { type: 'boolean', help: 'Show this help' },
} as const;

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: api-accounts <command> [account id] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    ...Object.entries(GLOBAL_OPTIONS).map(([name, o]) => `  --${name.padEnd(12)} ${o.help}`),
    '',
    'api-accounts <command> --help shows a command’s own options.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  return [
    `Usage: api-accounts ${command.name}${command.takesId ? ' <account id>' : ''} [options]`,
    '',
    command.summary,
    '',
    'Options:',
    ...Object.entries(options).map(
      ([name, o]) =>
        `  --${`${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(22)} ${o.help}`,
    ),
  ].join('\n');
}

interface Io {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly ask: ((question: string) => Promise<string>) | null;
}

/** Runs one command line; answers the exit status. */
export async function run(io: Io): Promise<number> {
  const [name, ...rest] = io.argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(generalHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`Unknown command: ${name}\n\n${generalHelp()}`);
    return 2;
  }
  try {
    const options = Object.fromEntries(
      Object.entries({ ...command.options, ...GLOBAL_OPTIONS }).map(([key, o]) => [
        key,
        { type: o.type },
      ]),
    ) as Record<string, { type: 'string' | 'boolean' }>;
    const { values, positionals } = parseArgs({
      args: [...rest],
      options,
      allowPositionals: true,
      strict: true,
    });
    if (values['help'] === true) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const [id, ...extra] = positionals;
    if (command.takesId ? id === undefined || extra.length > 0 : positionals.length > 0) {
      throw new UsageError(
        `${command.name} takes ${command.takesId ? 'one account id' : 'no arguments'}.`,
      );
    }
    const tenant = values['tenant'] ?? DEFAULT_TENANT;
    if (!isTenant(tenant)) {
      throw new UsageError('--tenant takes 1–64 letters, digits, ".", "_" and "-".');
    }
    const config = await loadConfig(values['config'] as string | undefined, io.cwd);
    // Loading it ran its code: say whose.
    io.stderr(`Configuration: ${config.file}`);
    const actorId =
      typeof values['actor'] === 'string'
        ? values['actor']
        : `cli:${process.env['USER'] ?? 'operator'}`;
    const outcome = await command.run({
      config,
      actor: { id: actorId, roles: [SETTINGS_ADMINISTRATOR], tenants: [tenant] },
      tenant,
      id: id ?? '',
      values,
      progress: io.stderr,
      ask: io.ask,
    });
    await config.manager.close();
    if (outcome.ok) {
      io.stdout(values['json'] === true ? JSON.stringify(outcome.value, null, 2) : outcome.text);
      return 0;
    }
    const { cause: _cause, ...error } = outcome.error as typeof outcome.error & { cause?: unknown };
    if (values['json'] === true) io.stdout(JSON.stringify({ error }, null, 2));
    io.stderr(describeError(outcome.error));
    return 1;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`${(error as Error).message}\n\n${commandHelp(command)}`);
      return 2;
    }
    // The host's configuration failed to load or to build a manager: a configuration mistake.
    io.stderr(`The configuration could not be used: ${(error as Error)?.message ?? String(error)}`);
    return 2;
  }
}

/** Asks a question on the terminal, when there is one. */
function terminalQuestion(): ((question: string) => Promise<string>) | null {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}

void run({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  ask: terminalQuestion(),
}).then((status) => {
  // The host's pools and timers are its own: the command is done, so the process ends.
  process.exit(status);
});
