// Helpers the end-to-end flows share: checks that print what they proved, balances, the
// accounts pallets derive from their ids, and a node brought online the way an operator does it.
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { encodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';
import { submit } from './vcity.mjs';

export const VCAI = 10n ** 18n;
export const USDV = 1_000_000n;
export const USDV_ID = 1000;

/** Throws unless `condition`; prints what was proved. */
export function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`  ok: ${what}`);
}

/** Expects `promise` (a `submit`) to fail with the named dispatch error. */
export async function refused(promise, error) {
  try {
    await promise;
  } catch (e) {
    check(e.dispatchError === error, `refused with ${error}`);
    return;
  }
  throw new Error(`expected ${error}, but the call succeeded`);
}

/** The account a pallet derives from its 8-byte PalletId (`modl` ++ id, zero-padded). */
export function palletAccount(id) {
  return encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20)), 42);
}

export async function usdv(api, address) {
  const account = await api.query.assets.account(USDV_ID, address);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

export async function freeVcai(api, address) {
  return (await api.query.system.account(address)).data.free.toBigInt();
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Registers an online node for `owner` at `price` USDV per GPU-hour with a fresh operator key,
 * funded with one VCAI for its fees; returns the key, its secret URI and the node's id. With
 * `beat` false the first heartbeat is left to the node's offchain worker.
 */
export async function onlineNode(api, owner, gpu, roles, price, beat = true) {
  const suri = mnemonicGenerate();
  const operator = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(suri);
  await submit(api, api.tx.balances.transferKeepAlive(operator.address, VCAI), owner);
  const schedule = await api.query.computeRegistry.schedule();
  const tiers = schedule.tiers.filter((t) => t.minVramPerGpuGib.toNumber() <= gpu.vramPerGpuGib);
  const stake = (tiers[tiers.length - 1].stakePerGpu.toBigInt() * BigInt(gpu.count) * schedule.multiplier.toBigInt()) / VCAI;
  const { events } = await submit(
    api,
    api.tx.computeRegistry.registerNode('Stable', roles, gpu, 'eu-west', price, operator.address, stake),
    owner,
  );
  const node = events.find((e) => api.events.computeRegistry.NodeRegistered.is(e)).data.node.toNumber();
  if (beat) {
    await submit(api, api.tx.computeRegistry.heartbeat(node, { loadPercent: 0, health: 'Healthy' }), operator);
  }
  return { operator, suri, node };
}

/**
 * Puts an operator key into the node's keystore as key type `vcty` (`author_insertKey`, an
 * unsafe RPC a dev node serves on loopback): from then on the node's offchain worker signs for
 * that operator's node.
 */
export async function insertOperatorKey(provider, operator, suri) {
  await provider.send('author_insertKey', ['vcty', suri, u8aToHex(operator.publicKey)]);
}

/** Polls `vcity_task` until `done(task)` holds; throws after `timeoutMs` with the last state. */
export async function waitForTask(provider, id, done, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await provider.send('vcity_task', [id]);
    if (done(task)) return task;
    if (Date.now() > deadline) throw new Error(`timed out waiting for task ${id} to be ${what} (it is ${task.status})`);
    await sleep(1_000);
  }
}

/**
 * Waits until the chain's day (as `vcity_veTotals` reports it) reaches `day`; a day lasts
 * `dayMs` milliseconds. Returns the totals of that moment.
 */
export async function waitForDay(provider, day, dayMs) {
  const deadline = Date.now() + Number(dayMs) * (day + 2) + 60_000;
  for (;;) {
    const now = await provider.send('vcity_veTotals', []);
    if (now.day >= day) return now;
    if (Date.now() > deadline) throw new Error(`day ${day} never came (still day ${now.day})`);
    await sleep(2_000);
  }
}

/**
 * Heartbeats `node` unless it already beat in the current heartbeat window, so it stays online
 * through the calls that follow (a window is 30 s on `dev-fast`, a few transactions).
 */
export async function beatIfDue(api, provider, node, operator) {
  const head = (await api.rpc.chain.getHeader()).hash;
  const now = (await api.query.timestamp.now.at(head)).toBigInt();
  const windowMs = (await api.query.computeRegistry.heartbeatWindowMs.at(head)).toBigInt();
  const info = await provider.send('vcity_nodeInfo', [`did:vcity:${node}`, head.toHex()]);
  const last = info.lastHeartbeatMs === null ? null : BigInt(info.lastHeartbeatMs);
  if (last === null || last / windowMs < now / windowMs) {
    await submit(api, api.tx.computeRegistry.heartbeat(node, { loadPercent: 0, health: 'Healthy' }), operator);
  }
}
