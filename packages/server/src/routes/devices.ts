/**
 * Devices (/api/v1/devices): pairing an agent (start and claim are public
 * and throttled; approval needs a signed-in person), my devices with their
 * agents' status, the status an agent reports, and revoking a device.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  DevicesResponse,
  DeviceStatusBody,
  ERROR_RESPONSES,
  ErrorResponse,
  IdParams,
  NoContent,
  PairingApproveBody,
  PairingApprovedResponse,
  PairingApproveResponse,
  PairingClaimBody,
  PairingPendingResponse,
  PairingStartBody,
  PairingStartResponse,
} from '@sundial/contracts';
import { formatIsoTimestamp, parseIsoTimestamp } from '@sundial/core';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import { invalidInput } from '../errors.js';
import type { Devices, DeviceView, Pairing } from '../services/devices/index.js';

/** The public pairing routes take a name and two ids: nothing needs more. */
const PAIRING_BODY_LIMIT = 4 * 1024;

const iso = (ms: number | null) => (ms === null ? null : formatIsoTimestamp(ms));

function deviceView(d: DeviceView) {
  return {
    id: d.id,
    name: d.name,
    platform: d.platform,
    createdAt: formatIsoTimestamp(d.createdAt),
    lastSeenAt: iso(d.lastSeenAt),
    revokedAt: iso(d.revokedAt),
    status: d.status && {
      queueLength: d.status.queueLength,
      oldestQueuedAt: iso(d.status.oldestQueuedAt),
      lastSyncAt: iso(d.status.lastSyncAt),
      version: d.status.version,
      watchers: d.status.watchers,
    },
  };
}

function instantOrNull(field: string, text: string | null): number | null {
  if (text === null) return null;
  const value = parseIsoTimestamp(text);
  if (value === null) throw invalidInput(`${field}: is not an ISO 8601 date-time`);
  return value;
}

export function deviceRoutes(deps: { devices: Devices; pairing: Pairing }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;
    const tags = ['devices'];

    app.post(
      '/api/v1/devices/pairings',
      {
        config: { access: 'public' },
        bodyLimit: PAIRING_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Start pairing a device: answers a code to show the person and a secret to keep',
          body: PairingStartBody,
          response: { 201: PairingStartResponse, ...errors },
        },
      },
      async (request, reply) => {
        const started = await deps.pairing.start(request.body, clientInfo(request));
        return reply.status(201).send({ ...started, expiresAt: formatIsoTimestamp(started.expiresAt) });
      },
    );

    app.post(
      '/api/v1/devices/pairings/claim',
      {
        config: { access: 'public' },
        bodyLimit: PAIRING_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Collect the device token once the person approved (202 while waiting)',
          body: PairingClaimBody,
          response: { 200: PairingApprovedResponse, 202: PairingPendingResponse, 410: ErrorResponse, ...errors },
        },
      },
      async (request, reply) => {
        const result = await deps.pairing.claim(request.body, clientInfo(request));
        if (result.status === 'pending') return reply.status(202).send(result);
        return reply.status(200).send(result);
      },
    );

    app.post(
      '/api/v1/devices/approve',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Approve the device showing this code: it gets a token with scope ingest',
          body: PairingApproveBody,
          response: { 200: PairingApproveResponse, ...errors },
        },
      },
      async (request) => {
        const device = await deps.pairing.approve(principalOf(request), request.body.code, clientInfo(request));
        return { device };
      },
    );

    app.get(
      '/api/v1/devices',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'My devices, with when each was last seen and its agent last reported',
          response: { 200: DevicesResponse, ...errors },
        },
      },
      async (request) => ({ devices: (await deps.devices.list(principalOf(request).userId)).map(deviceView) }),
    );

    app.put(
      '/api/v1/devices/me/status',
      {
        config: { access: 'token:ingest' },
        schema: {
          tags,
          summary: "Report this device's agent status (after each sync)",
          body: DeviceStatusBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        await deps.devices.reportStatus(principalOf(request), {
          queueLength: body.queueLength,
          oldestQueuedAt: instantOrNull('oldestQueuedAt', body.oldestQueuedAt),
          lastSyncAt: instantOrNull('lastSyncAt', body.lastSyncAt),
          version: body.version,
          watchers: body.watchers,
        });
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/api/v1/devices/:id',
      {
        config: { access: 'session' },
        schema: {
          tags,
          summary: 'Revoke a device: its token stops working at once',
          params: IdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.devices.revoke(principalOf(request), request.params.id, clientInfo(request));
        return reply.status(204).send(null);
      },
    );
  };
}
