import { Type } from '@sinclair/typebox';
import { defineCalculation } from './method.js';

// Being written by a helper session: replaced as a whole.
export const funnelMethod = defineCalculation({
  name: 'funnel',
  summary: 'funnel',
  input: Type.Object({}),
  output: Type.Object({}),
  run() {
    throw new Error('not built yet');
  },
});
