/**
 * Goals and alerts (/api/v1/alerts): reading alerts, their firings and the
 * live stream of firings needs a token with the read scope (or a session);
 * changing alerts needs a session.
 *
 * The stream is Server-Sent Events: each firing of the person in this
 * process as an `event: firing`, and a comment every 25 s so proxies and
 * the server's own idle timeout (60 s) keep the connection open. Firings
 * recorded by another server process reach this stream only through
 * /api/v1/alerts/status, which every client can poll.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AlertBody,
  AlertIdParams,
  AlertStatusQuery,
  AlertStatusResponse,
  AlertStream,
  AlertsResponse,
  AlertView,
  ERROR_RESPONSES,
  NoContent,
} from '@sundial/contracts';
import { formatIsoTimestamp, parseIsoTimestamp } from '@sundial/core';
import type { AuditLog } from '../audit/index.js';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import { invalidInput } from '../errors.js';
import type { Alert, AlertsService, Firing } from '../services/alerts.js';

const HEARTBEAT_MS = 25_000;

function alertView(alert: Alert) {
  const { id, name, target, comparison, minutes, days, timeZone, enabled } = alert;
  return { id, name, target, comparison, minutes, days: [...days], timeZone, enabled };
}

function firingView(firing: Firing) {
  return { ...firing, firedAt: formatIsoTimestamp(firing.firedAt) };
}

export function alertRoutes(deps: { alerts: AlertsService; audit: AuditLog }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;
    const { alerts } = deps;
    const tags = ['alerts'];
    /** Ends each open stream; run before the server stops waiting for connections. */
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });

    /** Audited by operation only: an alert's name and target are the person's and stay out of the log. */
    const audited = (request: FastifyRequest, operation: 'create' | 'update' | 'delete') => {
      const { userId } = principalOf(request);
      return deps.audit.record({
        action: 'alerts.change',
        actorId: userId,
        subjectId: userId,
        ip: clientInfo(request).ip,
        details: { operation },
      });
    };

    app.get(
      '/api/v1/alerts',
      {
        config: { access: 'token:read' },
        schema: { tags, summary: 'My alerts', response: { 200: AlertsResponse, ...errors } },
      },
      async (request) => ({ alerts: (await alerts.list(principalOf(request).userId)).map(alertView) }),
    );

    app.get(
      '/api/v1/alerts/:id',
      {
        config: { access: 'token:read' },
        schema: { tags, summary: 'One of my alerts', params: AlertIdParams, response: { 200: AlertView, ...errors } },
      },
      async (request) => alertView(await alerts.get(principalOf(request).userId, request.params.id)),
    );

    app.post(
      '/api/v1/alerts',
      {
        config: { access: 'session' },
        schema: { tags, summary: 'Add an alert', body: AlertBody, response: { 201: AlertView, ...errors } },
      },
      async (request, reply) => {
        const created = await alerts.create(principalOf(request).userId, request.body);
        await audited(request, 'create');
        return reply.status(201).send(alertView(created));
      },
    );

    app.put(
      '/api/v1/alerts/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Change an alert (it still fires at most once a day)',
          params: AlertIdParams,
          body: AlertBody,
          response: { 200: AlertView, ...errors },
        },
      },
      async (request) => {
        const updated = await alerts.update(principalOf(request).userId, request.params.id, request.body);
        await audited(request, 'update');
        return alertView(updated);
      },
    );

    app.delete(
      '/api/v1/alerts/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Delete an alert and its firings',
          params: AlertIdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await alerts.delete(principalOf(request).userId, request.params.id);
        await audited(request, 'delete');
        return reply.status(204).send(null);
      },
    );

    // Status and stream are the agent's (an ingest token): it turns firings into desktop notifications.
    app.get(
      '/api/v1/alerts/status',
      {
        config: { access: 'token:ingest' },
        schema: {
          tags,
          summary: 'The firings of my alerts since a time',
          querystring: AlertStatusQuery,
          response: { 200: AlertStatusResponse, ...errors },
        },
      },
      async (request) => {
        const since = parseIsoTimestamp(request.query.since);
        if (since === null) throw invalidInput('since: is not an ISO 8601 date-time');
        return { firings: (await alerts.firings(principalOf(request).userId, since)).map(firingView) };
      },
    );

    app.get(
      '/api/v1/alerts/stream',
      {
        config: { access: 'token:ingest' },
        // A HEAD would hold the connection open with nothing to show for it.
        exposeHeadRoute: false,
        schema: {
          tags,
          summary: 'My alerts firing, live (Server-Sent Events; send Accept: text/event-stream)',
          response: {
            200: { description: 'An event stream', content: { 'text/event-stream': { schema: AlertStream } } },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        // Only a client that asks for a stream gets one (EventSource always does): a stray
        // GET — a link preview, a prefetch — must not hold a connection and a stream slot.
        if (!(request.headers.accept ?? '').includes('text/event-stream')) {
          throw invalidInput('This route sends an event stream: ask for it with Accept: text/event-stream');
        }
        const raw = reply.raw;
        const send = (text: string) => {
          if (!raw.writableEnded) raw.write(text);
        };
        // Subscribing first: a person over the stream limit gets an ordinary error answer.
        const unsubscribe = alerts.subscribe(principalOf(request).userId, (firing) =>
          send(`event: firing\ndata: ${JSON.stringify(firingView(firing))}\n\n`),
        );
        const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        const release = () => {
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(end);
        };
        function end() {
          release();
          raw.end();
        }
        streams.add(end);
        raw.on('close', release);
        reply.hijack();
        // The headers hooks set (security headers, request id) are sent by hand once hijacked.
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) raw.setHeader(name, value);
        }
        raw.setHeader('content-type', 'text/event-stream; charset=utf-8');
        // Tells nginx not to buffer the stream.
        raw.setHeader('x-accel-buffering', 'no');
        raw.writeHead(200);
        send(': connected\n\n');
        return reply;
      },
    );
  };
}
