import { Type } from '@sinclair/typebox';
import { defineCalculation } from './method.js';

// Being written by a helper session: replaced as a whole.
export const suppressMethod = defineCalculation({
  name: 'suppress',
  summary: 'suppress',
  input: Type.Object({}),
  output: Type.Object({}),
  run() {
    throw new Error('not built yet');
  },
});
