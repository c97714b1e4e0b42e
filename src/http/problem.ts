/** RFC 9457 problem details, the one error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The fields at fault, as dotted paths into the request body, query or path. */
  errors?: { field: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problem(status: number, title: string, detail: string, errors?: Problem['errors']): Problem {
  return { type: 'about:blank', title, status, detail, ...(errors?.length ? { errors } : {}) };
}
