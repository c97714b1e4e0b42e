import type { FastifyInstance } from 'fastify';
import { responses } from '../../http/schemas.js';
import { ServiceError } from '../../services/errors.js';
import { CALCULATION_METHODS, CalculationError, calculate } from './service.js';

export async function calcApiRoutes(app: FastifyInstance) {
  for (const method of CALCULATION_METHODS) {
    app.post(
      `/api/calc/${method.name}`,
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['calculations'],
          summary: method.summary,
          description: `The same method as \`whatmatters calc ${method.name}\`.`,
          body: method.input,
          response: responses({ 200: method.output }, [422]),
        },
      },
      async (request) => {
        try {
          return calculate(method.name, request.body);
        } catch (error) {
          if (error instanceof CalculationError) {
            throw new ServiceError(422, 'Cannot calculate', error.message, error.field);
          }
          throw error;
        }
      },
    );
  }
}
