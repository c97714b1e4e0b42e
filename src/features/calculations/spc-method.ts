import { Type } from '@sinclair/typebox';
import { defineCalculation } from './method.js';

// Being written by a helper session: replaced as a whole.
export const spcMethod = defineCalculation({
  name: 'spc',
  summary: 'spc',
  input: Type.Object({}),
  output: Type.Object({}),
  run() {
    throw new Error('not built yet');
  },
});
