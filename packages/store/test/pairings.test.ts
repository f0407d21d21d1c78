/**
 * Device pairings and device status on both databases: a pairing is
 * approved once (with its token and device, or not at all), claimed once,
 * never after it expired; expired rows are cleaned up; device status is
 * one row per device of its person and marks the device seen; revoked
 * devices list their revocation time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ApiTokenRow } from '../src/repositories/api-tokens.js';
import type { PairingApproval } from '../src/repositories/pairings.js';
import { openStore, type Store } from '../src/store.js';
import { createTestDatabase, eachDatabase, type TestDatabase } from '../../../test/support/databases.js';

const T = 1_800_000_000_000;
const MINUTE = 60_000;

eachDatabase('device pairings and status', (kind) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = await openStore(database.target);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  async function newUser(): Promise<string> {
    const id = randomUUID();
    await store.users.insert({
      id,
      emailIndex: randomBytes(32),
      emailCiphertext: randomBytes(40),
      displayNameCiphertext: null,
      status: 'active',
      createdAt: T,
      updatedAt: T,
    });
    return id;
  }

  async function newPairing(expiresAt = T + 10 * MINUTE) {
    const row = {
      id: randomUUID(),
      codeIndex: randomBytes(32),
      secretHash: randomBytes(32),
      nameCiphertext: Buffer.from('sealed name'),
      platform: 'linux',
      createdAt: T,
      expiresAt,
    };
    expect(await store.pairings.insert(row)).toBe(true);
    return row;
  }

  function approval(pairingId: string, userId: string, now = T + MINUTE): PairingApproval {
    const id = randomUUID();
    const token: ApiTokenRow = {
      userId,
      id,
      nameCiphertext: Buffer.from('token name'),
      tokenHash: randomBytes(32),
      scopes: ['ingest'],
      createdAt: now,
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
    };
    return {
      pairingId,
      now,
      claimUntil: now + MINUTE,
      tokenCiphertext: Buffer.from(`sealed token ${id}`),
      token,
      device: { id, nameCiphertext: Buffer.from('device name'), platform: 'linux', createdAt: now, lastSeenAt: null },
    };
  }

  it('finds a pending pairing by its code until it expires, and refuses a second row with the same code', async () => {
    const p = await newPairing();
    expect((await store.pairings.pendingByCode(p.codeIndex, T))?.id).toBe(p.id);
    expect(await store.pairings.pendingByCode(p.codeIndex, p.expiresAt)).toBeNull();
    expect(await store.pairings.pendingByCode(randomBytes(32), T)).toBeNull();
    expect(await store.pairings.insert({ ...p, id: randomUUID() })).toBe(false);
    expect(await store.pairings.byId(p.id)).toMatchObject({ userId: null, claimedAt: null, tokenCiphertext: null });
  });

  it('approves once, inserting the token and the device with it, and erases the pending name', async () => {
    const user = await newUser();
    const other = await newUser();
    const p = await newPairing();
    const first = approval(p.id, user);
    expect(await store.pairings.approve(first)).toBe(true);
    expect(await store.pairings.approve(approval(p.id, other))).toBe(false);
    expect(await store.pairings.pendingByCode(p.codeIndex, T + MINUTE)).toBeNull();
    const row = await store.pairings.byId(p.id);
    expect(row).toMatchObject({
      userId: user,
      deviceId: first.device.id,
      nameCiphertext: null,
      approvedAt: T + MINUTE,
    });
    expect(row?.tokenCiphertext?.toString()).toBe(`sealed token ${first.device.id}`);
    expect((await store.apiTokens.list(user)).map((t) => [t.id, t.scopes])).toEqual([[first.token.id, ['ingest']]]);
    expect((await store.devices.list(user)).map((d) => d.id)).toEqual([first.device.id]);
    expect(await store.apiTokens.list(other)).toEqual([]);
    expect(await store.devices.list(other)).toEqual([]);
  });

  it('refuses to approve an expired pairing and writes nothing', async () => {
    const user = await newUser();
    const p = await newPairing(T + MINUTE);
    expect(await store.pairings.approve(approval(p.id, user, T + MINUTE))).toBe(false);
    expect(await store.apiTokens.list(user)).toEqual([]);
    expect(await store.devices.list(user)).toEqual([]);
  });

  it('keeps a late approval claimable for the claim window', async () => {
    const user = await newUser();
    const p = await newPairing(T + 2 * MINUTE);
    const late = approval(p.id, user, T + 2 * MINUTE - 1);
    expect(await store.pairings.approve(late)).toBe(true);
    expect((await store.pairings.byId(p.id))?.expiresAt).toBe(late.claimUntil);
    expect(await store.pairings.claim(p.id, T + 2 * MINUTE + 30_000)).not.toBeNull();
  });

  it('hands out the sealed token once and erases it; never a pending or expired one', async () => {
    const user = await newUser();
    const pending = await newPairing();
    expect(await store.pairings.claim(pending.id, T)).toBeNull();
    const p = await newPairing();
    const a = approval(p.id, user);
    await store.pairings.approve(a);
    expect(await store.pairings.claim(p.id, p.expiresAt + MINUTE)).toBeNull();
    const [one, two] = await Promise.all([
      store.pairings.claim(p.id, T + 2 * MINUTE),
      store.pairings.claim(p.id, T + 2 * MINUTE),
    ]);
    expect([one, two].filter((x) => x !== null).map((x) => x?.toString())).toEqual([`sealed token ${a.device.id}`]);
    expect(await store.pairings.byId(p.id)).toMatchObject({ tokenCiphertext: null, claimedAt: T + 2 * MINUTE });
    expect(await store.pairings.claim(p.id, T + 3 * MINUTE)).toBeNull();
  });

  it('deletes pairings that expired before a time, and only those', async () => {
    const old = await newPairing(T);
    const current = await newPairing(T + 10 * MINUTE);
    expect(await store.pairings.deleteExpired(T + MINUTE)).toBe(1);
    expect(await store.pairings.byId(old.id)).toBeNull();
    expect(await store.pairings.byId(current.id)).not.toBeNull();
  });

  it("stores one status per device, marks the device seen, and refuses another person's device", async () => {
    const user = await newUser();
    const other = await newUser();
    const p = await newPairing();
    const a = approval(p.id, user);
    await store.pairings.approve(a);
    const status = {
      deviceId: a.device.id,
      queueLength: 3,
      oldestQueuedAt: T,
      lastSyncAt: null,
      version: '0.1.0',
      watchersCiphertext: Buffer.from('x11 ok'),
      updatedAt: T + 5 * MINUTE,
    };
    expect(await store.deviceStatus.put(user, status)).toBe(true);
    expect(
      await store.deviceStatus.put(user, {
        ...status,
        queueLength: 0,
        lastSyncAt: T + 6 * MINUTE,
        updatedAt: T + 6 * MINUTE,
      }),
    ).toBe(true);
    expect(await store.deviceStatus.put(other, status)).toBe(false);
    const [row] = await store.deviceStatus.list(user);
    expect(row).toMatchObject({ deviceId: a.device.id, queueLength: 0, oldestQueuedAt: T, lastSyncAt: T + 6 * MINUTE });
    expect(row?.watchersCiphertext.toString()).toBe('x11 ok');
    expect(await store.deviceStatus.list(other)).toEqual([]);
    expect((await store.devices.list(user))[0]?.lastSeenAt).toBe(T + 6 * MINUTE);
  });

  it('lists a revoked device with its revocation time', async () => {
    const user = await newUser();
    const p = await newPairing();
    const a = approval(p.id, user);
    await store.pairings.approve(a);
    expect((await store.devices.list(user))[0]?.revokedAt).toBeNull();
    expect(await store.apiTokens.revoke(user, a.device.id, T + 9 * MINUTE)).toBe(true);
    expect((await store.devices.list(user))[0]?.revokedAt).toBe(T + 9 * MINUTE);
  });

  it('deletes a person with their pairings and device status', async () => {
    const user = await newUser();
    const p = await newPairing();
    const a = approval(p.id, user);
    await store.pairings.approve(a);
    await store.deviceStatus.put(user, {
      deviceId: a.device.id,
      queueLength: 0,
      oldestQueuedAt: null,
      lastSyncAt: null,
      version: '1',
      watchersCiphertext: Buffer.from('ok'),
      updatedAt: T,
    });
    expect(await store.users.deleteWithRows(user)).toBe(true);
    expect(await store.pairings.byId(p.id)).toBeNull();
    expect(await store.deviceStatus.list(user)).toEqual([]);
  });
});
