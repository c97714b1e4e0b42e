import { text } from 'node:stream/consumers';
import { CALCULATION_METHODS, CalculationError, calculate } from '../../features/calculations/service.js';
import type { Command } from '../main.js';
import { UsageError } from '../usage-error.js';

const methodList = () => CALCULATION_METHODS.map((m) => m.name).join(', ');

export const calcCommand: Command = {
  name: 'calc',
  usage: 'calc <method>',
  summary: `Read JSON on stdin, write the result as JSON on stdout. Methods: ${methodList()}`,
  async run(args) {
    const [name] = args;
    if (!name) throw new UsageError(`name a method. Methods: ${methodList()}.`);
    if (!CALCULATION_METHODS.some((m) => m.name === name)) {
      throw new UsageError(`unknown method "${name}". Methods: ${methodList()}.`);
    }
    const raw = await text(process.stdin);
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch {
      throw new UsageError('stdin is not valid JSON.');
    }
    try {
      process.stdout.write(`${JSON.stringify(calculate(name, input))}\n`);
      return 0;
    } catch (error) {
      if (error instanceof CalculationError) throw new UsageError(error.message);
      throw error;
    }
  },
};
