/** Liveness and readiness answers, for load balancers and `sundial up`. */
import { Type, type Static } from 'typebox';

export const HealthResponse = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
  },
  { additionalProperties: false },
);
export type HealthResponse = Static<typeof HealthResponse>;

export const ReadyResponse = Type.Object(
  {
    status: Type.Literal('ready'),
    database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
    schemaVersion: Type.String({ description: 'Name of the newest applied migration' }),
  },
  { additionalProperties: false },
);
export type ReadyResponse = Static<typeof ReadyResponse>;
