/**
 * My whole data out and back in (docs/export.md): GET /api/v1/export
 * streams a JSON document (or my events as CSV) as a download, POST
 * /api/v1/import takes such a document into an empty account. Both need a
 * session — an API token, however scoped, never reads or replaces
 * everything — and both are audited with counts only.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ERROR_RESPONSES,
  ErrorResponse,
  ExportCsv,
  ExportDocument,
  ExportQuery,
  ImportResponse,
} from '@sundial/contracts';
import type { Store } from '@sundial/store';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import { csvChunks, exporter, exportFilename, jsonChunks } from '../services/export.js';
import { importer } from '../services/import.js';
import type { Services } from '../services/services.js';

/** An export of a few years at full detail runs to tens of MiB; this leaves room for many years. */
export const IMPORT_BODY_LIMIT = 200 * 1024 * 1024;

const TAGS = ['data'];

export interface ExportRouteDeps {
  readonly store: Pick<Store, 'events'>;
  readonly services: Pick<Services, 'activity' | 'categories' | 'accounts' | 'audit'>;
}

export function exportRoutes(deps: ExportRouteDeps): FastifyPluginAsync {
  const { activity, categories, accounts, audit } = deps.services;
  const exports = exporter({ store: deps.store, activity, categories, accounts });
  const imports = importer({ store: deps.store, activity, categories });

  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/export',
      {
        config: { access: 'session' },
        // A HEAD would read and audit an export that never leaves.
        exposeHeadRoute: false,
        schema: {
          tags: TAGS,
          summary: 'Everything I have as one JSON document, or my events as CSV (a streamed download)',
          querystring: ExportQuery,
          response: {
            200: {
              description: 'The export, streamed, with Content-Disposition: attachment',
              content: {
                'application/json': { schema: ExportDocument },
                'text/csv': {
                  schema: ExportCsv,
                },
              },
            },
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { userId } = principalOf(request);
        const { format } = request.query;
        // The head is read before anything is sent, so its failures are ordinary error answers.
        const head = format === 'json' ? await exports.head(userId) : null;
        // Recorded before any data leaves: no export without its audit record.
        await audit.record({
          action: 'data.export',
          actorId: userId,
          subjectId: userId,
          ip: clientInfo(request).ip,
          details: { format, events: await exports.count(userId) },
        });
        const pages = exports.events(userId);
        const chunks = head === null ? csvChunks(pages) : jsonChunks(head, pages);
        const at = head === null ? Date.now() : Date.parse(head.exportedAt);
        void reply
          .type(head === null ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${exportFilename(format, at)}"`);
        // A stream is piped as it is (the schema above documents it; Fastify serialises only objects).
        const body = Readable.from(chunks, { objectMode: false });
        return reply.send(body as unknown as string);
      },
    );

    app.post(
      '/api/v1/import',
      {
        config: { access: 'session' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: TAGS,
          summary: `Import a Sundial JSON export into this empty account (at most ${IMPORT_BODY_LIMIT / 1024 / 1024} MiB)`,
          body: ExportDocument,
          response: { 200: ImportResponse, ...ERROR_RESPONSES, 413: ErrorResponse },
        },
      },
      async (request) => {
        const { userId } = principalOf(request);
        const summary = await imports.import(userId, request.body);
        await audit.record({
          action: 'data.import',
          actorId: userId,
          subjectId: userId,
          ip: clientInfo(request).ip,
          details: { ...summary },
        });
        return summary;
      },
    );
  };
}
