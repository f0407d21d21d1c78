/**
 * GET /api/0/info: what ActivityWatch clients ask first (aw-client checks
 * the server is there; aw-watcher-web reads the host name). Watchers hold
 * ingest tokens, so this answers to them; `device_id` is the device the
 * caller writes as.
 */
import { hostname } from 'node:os';
import { AW_ERROR_RESPONSES, AwInfo } from '@sundial/contracts';
import { principalOf } from '../../auth/authenticate.js';
import { VERSION } from '../../version.js';
import { TAGS, type AwApp, type AwDeps } from './context.js';

export function infoRoutes(app: AwApp, deps: AwDeps): void {
  app.get(
    '/info',
    {
      config: { access: 'token:ingest' },
      schema: { tags: TAGS, summary: 'Server and device', response: { 200: AwInfo, ...AW_ERROR_RESPONSES } },
    },
    async (request) => ({
      hostname: hostname(),
      version: VERSION,
      testing: false,
      device_id: await deps.activity.sources.deviceOf(principalOf(request)),
    }),
  );
}
