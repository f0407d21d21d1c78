/**
 * The native activity API (/api/v1): batches of events, heartbeats, reading
 * my events back, erasing and privacy settings.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  BatchResponse,
  EraseBody,
  EraseResponse,
  ERROR_RESPONSES,
  EventsBatchBody,
  EventsQuery,
  EventsResponse,
  HeartbeatBody,
  HeartbeatQuery,
  HeartbeatResponse,
  PrivacySettingsBody,
  PrivacySettingsView,
} from '@sundial/contracts';
import {
  formatIsoTimestamp,
  parseIsoTimestamp,
  validateIgnoreRules,
  validateWorkingHours,
  type PrivacySettings,
} from '@sundial/core';
import type { AuditLog } from '../audit/index.js';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import { invalidInput } from '../errors.js';
import type { Activity, Bucket, EraseSelector, StoredEvent } from '../services/activity/index.js';
import { bucketsOfBatch } from './event-buckets.js';

/** Batches may carry 10 000 events: up to 5 MiB. */
export const BATCH_BODY_LIMIT = 5 * 1024 * 1024;

export function eventView(e: StoredEvent) {
  return {
    id: e.uid,
    kind: e.kind,
    device: e.deviceId,
    start: formatIsoTimestamp(e.start),
    duration: e.duration / 1000,
    data: e.data,
  };
}

function privacyView(settings: PrivacySettings) {
  const hours = settings.workingHours ?? null;
  return {
    detail: settings.detail,
    ignore: settings.ignore.map((rule) => ({ ...rule })),
    paused: settings.paused,
    retentionDays: settings.retentionDays,
    workingHours: hours && { days: [...hours.days], start: hours.start, end: hours.end, timeZone: hours.timeZone },
  };
}

function instant(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseIsoTimestamp(text);
  if (value === null) throw invalidInput(`${field}: is not an ISO 8601 date-time`);
  return value;
}

function eraseSelector(body: EraseBody): EraseSelector {
  const given = (['all', 'app', 'domain', 'from'] as const).filter((k) => body[k] !== undefined);
  if (body.to !== undefined && body.from === undefined) throw invalidInput('from: is required with to');
  if (given.length !== 1) throw invalidInput('give exactly one of: all, app, domain, or from and to');
  if (body.all) return { all: true };
  if (body.app !== undefined) return { app: body.app };
  if (body.domain !== undefined) return { domain: body.domain };
  const from = instant('from', body.from) as number;
  const to = instant('to', body.to);
  if (to === undefined) throw invalidInput('to: is required with from');
  if (to <= from) throw invalidInput('to: must be after from');
  return { from, to };
}

export function activityRoutes(deps: { activity: Activity; audit: AuditLog }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;
    const { activity } = deps;

    app.post(
      '/api/v1/events',
      {
        config: { access: 'token:ingest' },
        bodyLimit: BATCH_BODY_LIMIT,
        schema: {
          tags: ['activity'],
          summary: 'Store a batch of events (idempotent by id, all or nothing); `bucket` names an ActivityWatch bucket',
          body: EventsBatchBody,
          response: { 200: BatchResponse, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        // Validated before any device or bucket is created: a refused request leaves nothing behind.
        activity.ingest.check(
          request.body.events.map((event) => ({ bucket: { kind: event.kind }, event })),
          true,
        );
        const device = await activity.sources.deviceOf(principal);
        const buckets = await bucketsOfBatch(activity, principal.userId, device, request.body.events);
        const items = request.body.events.map((event, i) => ({ bucket: buckets[i] as Bucket, event }));
        const { accepted, replaced, dropped } = await activity.ingest.batch(principal.userId, device, items, true);
        return { accepted, replaced, dropped };
      },
    );

    app.post(
      '/api/v1/heartbeats',
      {
        config: { access: 'token:ingest' },
        schema: {
          tags: ['activity'],
          summary: 'Send a heartbeat: extends the last event of its kind when the data is unchanged',
          querystring: HeartbeatQuery,
          body: HeartbeatBody,
          response: { 200: HeartbeatResponse, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const device = await activity.sources.deviceOf(principal);
        const bucket = await activity.sources.defaultBucket(principal.userId, device, request.body.kind);
        const event = { ...request.body, duration: request.body.duration ?? 0 };
        const result = await activity.ingest.heartbeat(principal.userId, bucket, event, request.query.pulsetime * 1000);
        return { event: result.event ? eventView(result.event) : null, merged: result.merged };
      },
    );

    app.get(
      '/api/v1/events',
      {
        config: { access: 'token:read' },
        schema: {
          tags: ['activity'],
          summary: 'My events, oldest first',
          querystring: EventsQuery,
          response: { 200: EventsResponse, ...errors },
        },
      },
      async (request) => {
        const q = request.query;
        const from = instant('from', q.from);
        const to = instant('to', q.to);
        if (from !== undefined && to !== undefined && to < from) throw invalidInput('to: must not be before from');
        const events = await activity.events(principalOf(request).userId, {
          from,
          to,
          kind: q.kind,
          limit: q.limit ?? 1000,
        });
        return { events: events.map(eventView) };
      },
    );

    app.delete(
      '/api/v1/activity',
      {
        config: { access: 'session' },
        schema: {
          tags: ['activity'],
          summary: 'Erase activity: all of it, one app, one site, or a time range (rollups included)',
          body: EraseBody,
          response: { 200: EraseResponse, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const selector = eraseSelector(request.body);
        const erased = await activity.eraser.erase(principal.userId, selector);
        const client = clientInfo(request);
        await deps.audit.record({
          action: 'data.erase',
          actorId: principal.userId,
          subjectId: principal.userId,
          ip: client.ip,
          details: { selector: Object.keys(selector)[0] ?? 'unknown', events: erased },
        });
        return { erased };
      },
    );

    app.get(
      '/api/v1/settings/privacy',
      {
        config: { access: 'token:ingest' },
        schema: {
          tags: ['activity'],
          summary: 'My privacy settings (agents read them to filter on the device too)',
          response: { 200: PrivacySettingsView, ...errors },
        },
      },
      async (request) => privacyView(await activity.privacy.get(principalOf(request).userId)),
    );

    app.put(
      '/api/v1/settings/privacy',
      {
        config: { access: 'session' },
        schema: {
          tags: ['activity'],
          summary: 'Change my privacy settings',
          body: PrivacySettingsBody,
          response: { 200: PrivacySettingsView, ...errors },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const problem = validateIgnoreRules(request.body.ignore);
        if (problem !== null) throw invalidInput(problem);
        // Left out by an older client: no working hours.
        const workingHours = request.body.workingHours ?? null;
        const hoursProblem = workingHours === null ? null : validateWorkingHours(workingHours);
        if (hoursProblem !== null) throw invalidInput(hoursProblem);
        const stored = await activity.privacy.put(principal.userId, { ...request.body, workingHours });
        await deps.audit.record({
          action: 'privacy.change',
          actorId: principal.userId,
          subjectId: principal.userId,
          ip: clientInfo(request).ip,
          details: {
            detail: stored.detail,
            rules: stored.ignore.length,
            paused: stored.paused,
            retentionDays: stored.retentionDays,
            workingHours: stored.workingHours != null,
          },
        });
        return privacyView(stored);
      },
    );
  };
}
