/**
 * The text `--help` shows after a command's options: two or three examples, then the exit codes
 * that command returns (their values are EXIT, src/exit.ts).
 */
import { EXIT } from '../exit.js';

/** The exit codes of commands that judge files against the budget (check, merge). */
export const VERDICT_EXITS: readonly string[] = [
  `${EXIT.ok}  no verdict in --fail-on occurred (or --fail-on none)`,
  `${EXIT.overBudget}  only over_budget occurred`,
  `${EXIT.failed}  corrupt, unsupported or error occurred`,
];
/** The exit codes of commands that judge one image (inspect, convert). */
export const IMAGE_EXITS: readonly string[] = [
  `${EXIT.ok}  the image fits the budget`,
  `${EXIT.overBudget}  it is over the budget and was not decoded`,
  `${EXIT.failed}  it is corrupt, unsupported or unreadable`,
];
const USAGE_EXIT = `${EXIT.usage} a bad flag, argument or config file (one line on stderr)`;

/** Examples (command, what it shows) and exit codes, as `--help` prints them. */
export function helpAfter(examples: readonly (readonly [string, string])[], exits: readonly string[]): string {
  const lines = ['', 'Examples:'];
  for (const [command, why] of examples) lines.push(`  $ ${command}`, `      ${why}`);
  lines.push('', 'Exit codes:', ...[...exits, USAGE_EXIT].map((e) => `  ${e}`));
  return lines.join('\n');
}
