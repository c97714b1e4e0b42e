import { ConfigError } from '../config.js';
import { AuditKeyError } from '../store/audit-key.js';
import { DataDirLockedError } from '../store/data-dir-lock.js';
import { auditCommand } from './commands/audit.js';
import { benchCommand } from './commands/bench.js';
import { calcCommand } from './commands/calc.js';
import { clientCommand } from './commands/client.js';
import { codingCommand } from './commands/coding.js';
import { communityCommand } from './commands/community.js';
import { csvCommand } from './commands/csv.js';
import { feedbackCommand } from './commands/feedback.js';
import { fhirCommand } from './commands/fhir.js';
import { migrateCommand } from './commands/migrate.js';
import { postcodesCommand } from './commands/postcodes.js';
import { rollupsCommand } from './commands/rollups.js';
import { seedCommand } from './commands/seed.js';
import { serveCommand } from './commands/serve.js';
import { userCommand } from './commands/user.js';
import { UsageError } from './usage-error.js';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** The full usage, for `whatmatters <command> --help`, when `usage` is a short form of it. */
  help?: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  seedCommand,
  calcCommand,
  benchCommand,
  auditCommand,
  userCommand,
  clientCommand,
  rollupsCommand,
  codingCommand,
  feedbackCommand,
  csvCommand,
  communityCommand,
  fhirCommand,
  postcodesCommand,
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'whatmatters — person-centred outcomes for health and social care',
    '',
    'Usage: whatmatters <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show this help`,
    '',
    'Environment: PORT (3000), HOST (127.0.0.1), DATA_DIR (./data), DATABASE_URL (PostgreSQL; replaces',
    'the embedded database), LOG_LEVEL (info), DEMO_DATA (true), TRUST_PROXY (false), PGLITE_MEMORY_MB (512),',
    'OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI (sign-in with an organisation account),',
    'AUDIT_KEY or AUDIT_KEY_FILE (DATA_DIR/audit.key), AUDIT_ANCHOR_FILE (DATA_DIR/audit-anchors.jsonl),',
    'AUDIT_ANCHOR_SECONDS (60); for audit verify --server: API_CLIENT_ID, API_CLIENT_SECRET.',
  ].join('\n');
}

/** Runs one command and returns the exit status: 0 done, 1 failed, 2 bad usage or input. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${helpText()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(
      `whatmatters: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}, help.\n`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: whatmatters ${command.help ?? command.usage}\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof AuditKeyError) {
      process.stderr.write(`whatmatters ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`whatmatters ${name}: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`whatmatters ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
