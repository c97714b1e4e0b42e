import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ServiceError } from '../../services/errors.js';

/** Nested deeper than this, a request is not one a form or client sends: it is refused, not walked. */
const MAX_DEPTH = 32;
/**
 * Values (fields, items and nested objects together) one request may hold: ten times the largest a
 * form or the API needs (a full care and support plan is a few hundred). Beyond it the request is
 * refused before validation, which would otherwise spend seconds listing an error for each of tens
 * of thousands of items while every other request waited.
 */
export const MAX_INPUT_VALUES = 10_000;

/** How many values a parsed request part holds, counting up to just past `limit`. */
export function valueCount(value: unknown, limit = MAX_INPUT_VALUES): number {
  let count = 0;
  const walk = (v: unknown, depth: number): void => {
    count++;
    if (count > limit || v === null || typeof v !== 'object') return;
    if (depth > MAX_DEPTH) {
      count = limit + 1;
      return;
    }
    for (const child of Object.values(v)) {
      walk(child, depth + 1);
      if (count > limit) return;
    }
  };
  walk(value, 0);
  return count;
}

/**
 * Where the first NUL character (U+0000) is in a parsed value, as a dotted path ('' for the value
 * itself); null when there is none. PostgreSQL cannot store NUL in text, so such a value would fail
 * at the database with a fault; it is refused here with the field named instead.
 */
export function nulPath(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH) return '';
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return key.replaceAll('\u0000', '\\0');
    const inner = nulPath(child, depth + 1);
    if (inner !== null) return inner === '' ? key : `${key}.${inner}`;
  }
  return null;
}

/**
 * Refuses a body with more values than any use needs, and text with a NUL character in any part of any request (query string, path, body: JSON or
 * form) before validation and before any handler: 400 naming the field, never a 500 from the
 * database. One rule for every route, so a new route cannot forget it.
 */
export const textInput = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => {
      if (valueCount(request.body) > MAX_INPUT_VALUES) {
        throw new ServiceError(
          400,
          'Invalid request',
          `The request holds more than ${MAX_INPUT_VALUES.toLocaleString('en-GB')} fields and items: no form or API call needs so many.`,
          'body',
        );
      }
      for (const [part, value] of [
        ['params', request.params],
        ['querystring', request.query],
        ['body', request.body],
      ] as const) {
        const path = nulPath(value);
        if (path !== null) {
          const field = [part, path].filter(Boolean).join('.');
          throw new ServiceError(
            400,
            'Invalid request',
            `${field} must not contain a NUL character (U+0000).`,
            path || part,
          );
        }
      }
    });
  },
  { name: 'text-input' },
);
