/**
 * /api/0/settings: ActivityWatch's free key → JSON value store (the web UI
 * keeps category rules, theme and the like there). A missing key reads as
 * `null`, as in ActivityWatch. `POST /settings` with `{key, value}` is the
 * older aw-server-rust form; clients now post the value to `/settings/<key>`.
 */
import type { FastifyReply } from 'fastify';
import {
  AW_ERROR_RESPONSES,
  AwNoContent,
  AwSettingBody,
  AwSettingParams,
  AwSettings,
  AwSettingValue,
} from '@sundial/contracts';
import { principalOf } from '../../auth/authenticate.js';
import { AW_SETTING_VALUE_LIMIT_BYTES } from '../../services/activity/aw-settings.js';
import { TAGS, type AwApp, type AwDeps } from './context.js';

/** The value and its key, and room for JSON whitespace. */
const SETTING_BODY_LIMIT = 2 * AW_SETTING_VALUE_LIMIT_BYTES;

/** Sends any JSON value: Fastify would send a bare string as text. */
function sendJson(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value ?? null));
}

export function settingsRoutes(app: AwApp, deps: AwDeps): void {
  const { awSettings } = deps.activity;
  const errors = AW_ERROR_RESPONSES;

  app.get(
    '/settings',
    {
      config: { access: 'token:read' },
      schema: { tags: TAGS, summary: 'All my settings, by key', response: { 200: AwSettings, ...errors } },
    },
    async (request) => awSettings.all(principalOf(request).userId),
  );

  app.post(
    '/settings',
    {
      config: { access: 'token:ingest' },
      bodyLimit: SETTING_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: 'Set a setting from `{key, value}`',
        body: AwSettingBody,
        response: { 201: AwNoContent, ...errors },
      },
    },
    async (request, reply) => {
      await awSettings.put(principalOf(request).userId, request.body.key, request.body.value);
      return reply.code(201).send(null);
    },
  );

  app.get(
    '/settings/:key',
    {
      config: { access: 'token:read' },
      schema: {
        tags: TAGS,
        summary: 'One setting (null when not set)',
        params: AwSettingParams,
        response: { 200: AwSettingValue, ...errors },
      },
    },
    async (request, reply) => sendJson(reply, await awSettings.get(principalOf(request).userId, request.params.key)),
  );

  app.post(
    '/settings/:key',
    {
      config: { access: 'token:ingest' },
      bodyLimit: SETTING_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: 'Set a setting: the body is its JSON value',
        params: AwSettingParams,
        body: AwSettingValue,
        response: { 201: AwNoContent, ...errors },
      },
    },
    async (request, reply) => {
      await awSettings.put(principalOf(request).userId, request.params.key, request.body);
      return reply.code(201).send(null);
    },
  );

  app.delete(
    '/settings/:key',
    {
      config: { access: 'token:ingest' },
      schema: {
        tags: TAGS,
        summary: 'Remove a setting',
        params: AwSettingParams,
        response: { 200: AwNoContent, ...errors },
      },
    },
    async (request, reply) => {
      await awSettings.remove(principalOf(request).userId, request.params.key);
      return reply.code(200).send(null);
    },
  );
}
