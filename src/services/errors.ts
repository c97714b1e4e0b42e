/**
 * Errors services raise on purpose. The HTTP layer maps each to a status and a problem document;
 * the CLI to a one-line message. Anything else is a fault and is reported without its details.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 423 | 429,
    readonly title: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notSignedIn = () => new ServiceError(401, 'Not signed in', 'Sign in to use this.');
export const forbidden = (what: string) =>
  new ServiceError(403, 'Not allowed', `Your role does not allow you to ${what}.`);
export const notFound = (what: string) => new ServiceError(404, 'Not found', `${what} was not found.`);
export const invalid = (message: string, field?: string) =>
  new ServiceError(422, 'Invalid input', message, field);
