/**
 * Schema validation for request parts. Bodies are checked strictly: no type
 * coercion ("1" is not 1) and no silent removal of unknown fields — schemas
 * say `additionalProperties: false` and a stray field is an error the client
 * hears about. Query strings and path parameters arrive as text, so there
 * numbers and booleans are coerced.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const shared: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false };

export function installValidators(app: FastifyInstance): void {
  const body = addFormats(new Ajv({ ...shared, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}
