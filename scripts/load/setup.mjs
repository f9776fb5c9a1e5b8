// The load's actors, made ready before the first step: sender accounts topped up from the dev
// accounts, and compute nodes registered by owner accounts of their own, each node with its own
// operator key (a heartbeat is signed by the node's operator, and the pool takes one beat per
// node and window).
//
// Everything is derived from `//<tag>`, so a second run with the same tag finds what the first
// funded and registered, tops up only what fell short and registers only the nodes that are
// missing: registering thousands of nodes takes a few blocks, once.
import { USDV, USDV_ID, VCAI } from '../lib/flow.mjs';
import { submit } from '../lib/vcity.mjs';
import { devAccounts, deriveAccounts, readAccounts, rootKey } from './keys.mjs';

/** Small consumer cards: the cheapest stake, so thousands of nodes fit the dev accounts' VCAI. */
export const BEAT_GPU = { model: 'NVIDIA GeForce RTX 3060', count: 1, vramPerGpuGib: 8 };
/** Eight cards a node, so each task node runs eight one-GPU tasks at once. */
export const TASK_GPU = { model: 'NVIDIA GeForce RTX 3060', count: 8, vramPerGpuGib: 8 };
/** The region of the load's nodes: no other flow's task asks for it. */
export const LOAD_REGION = 'load';
export const NODE_PRICE = USDV; // per GPU-hour
export const USER_USDV = 20n * USDV;

const NODES_PER_OWNER = 100;
/** Calls in one funding batch: far below a block's weight, so several batches share a block. */
const FUNDING_BATCH = 200;

function log(...args) {
  console.log('  setup:', ...args);
}

/**
 * Submits every `{ account, tx }` at once, each account's with consecutive nonces from the
 * pool's view, and waits until all are in blocks. Fails with the first dispatch error.
 */
export async function submitAll(api, items) {
  const nonces = new Map();
  for (const { account } of items) {
    if (!nonces.has(account.address)) {
      nonces.set(account.address, (await api.rpc.system.accountNextIndex(account.address)).toNumber());
    }
  }
  const sent = items.map(({ account, tx }) => {
    const nonce = nonces.get(account.address);
    nonces.set(account.address, nonce + 1);
    return submit(api, tx, account.pair, { nonce });
  });
  const results = await Promise.allSettled(sent);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) throw new Error(`${failed.length} of ${items.length} setup transactions failed: ${failed[0].reason.message}`);
  return results.map((r) => r.value);
}

/**
 * Pays each `{ to, vcai, usdv }` from the dev accounts, largest needs first to the richest
 * funder, in batches of transfers.
 */
async function fund(api, needs) {
  if (needs.length === 0) return;
  const funders = devAccounts();
  await readAccounts(api, funders);
  // Each dev account keeps a thousand VCAI for fees and for the flows that use it too.
  const budget = new Map(funders.map((f) => [f.address, f.free - 1_000n * VCAI]));
  const calls = new Map(funders.map((f) => [f.address, []]));
  for (const need of [...needs].sort((a, b) => (b.vcai > a.vcai ? 1 : -1))) {
    const funder = funders.reduce((best, f) => (budget.get(f.address) > budget.get(best.address) ? f : best));
    if (budget.get(funder.address) < need.vcai) {
      const total = needs.reduce((s, n) => s + n.vcai, 0n);
      throw new Error(`the dev accounts cannot pay ${total / VCAI} VCAI: ask for fewer --nodes or --accounts, or a lower --fund`);
    }
    budget.set(funder.address, budget.get(funder.address) - need.vcai);
    if (need.vcai > 0n) calls.get(funder.address).push(api.tx.balances.transferKeepAlive(need.to, need.vcai));
    if (need.usdv > 0n) calls.get(funder.address).push(api.tx.assets.transferKeepAlive(USDV_ID, need.to, need.usdv));
  }
  const items = [];
  for (const funder of funders) {
    const list = calls.get(funder.address);
    for (let i = 0; i < list.length; i += FUNDING_BATCH) {
      items.push({ account: funder, tx: api.tx.utility.batchAll(list.slice(i, i + FUNDING_BATCH)) });
    }
  }
  const total = needs.reduce((s, n) => s + n.vcai, 0n);
  log(`funding ${needs.length} accounts with ${total / VCAI} VCAI in ${items.length} batches`);
  await submitAll(api, items);
}

async function requiredStake(api, gpu) {
  const stake = await api.call.computeRegistryApi.requiredStake(gpu);
  if (stake.isNone) throw new Error('the registry has no stake schedule');
  return stake.unwrap().toBigInt();
}

/**
 * A set of `count` nodes named `name`: operator keys `//<tag>//<name>//<i>`, owners
 * `//<tag>//owner//<name>//<j>` with a hundred nodes each. Returns what is there and what is
 * still to register.
 */
async function nodeSet(api, root, name, count, gpu, operatorVcai) {
  const operators = deriveAccounts(root, name, count);
  const ids = [];
  for (let i = 0; i < count; i += 1000) {
    const found = await api.query.computeRegistry.nodeOfOperator.multi(operators.slice(i, i + 1000).map((o) => o.address));
    ids.push(...found.map((id) => (id.isSome ? id.unwrap().toNumber() : null)));
  }
  // A node left Active is the load's to use; one that unbonds, or was slashed, keeps its
  // operator key (the registry refuses the key for a new node), so that slot stays empty.
  const known = ids.filter((id) => id !== null);
  const states = new Map();
  for (let i = 0; i < known.length; i += 1000) {
    const nodes = await api.query.computeRegistry.nodes.multi(known.slice(i, i + 1000));
    nodes.forEach((n, j) => states.set(known[i + j], n.isSome ? n.unwrap().state.toString() : 'Gone'));
  }
  const owners = [];
  for (let j = 0; j * NODES_PER_OWNER < count; j += 1) owners.push(...deriveAccounts(root, `owner//${name}`, 1, j));
  const stake = count > 0 ? ((await requiredStake(api, gpu)) * 11n) / 10n : 0n;
  return { name, gpu, operators, ids, states, owners, stake, operatorVcai };
}

/** What each owner must hold to register the set's missing nodes and fund their operators. */
function ownerNeeds(api, set) {
  const deposit = api.consts.computeRegistry.recordDeposit.toBigInt();
  const needs = [];
  set.owners.forEach((owner, j) => {
    const missing = set.ids.slice(j * NODES_PER_OWNER, (j + 1) * NODES_PER_OWNER).filter((id) => id === null).length;
    if (missing === 0) return;
    const need = BigInt(missing) * (set.stake + deposit + set.operatorVcai) + 10n * VCAI;
    if (owner.free < need) needs.push({ to: owner.address, vcai: need - owner.free, usdv: 0n });
  });
  return needs;
}

/**
 * Registers the set's missing nodes: each owner sends one batch that funds each operator key
 * (it must exist to sign, and task operators pay their calls' fees) and registers its node.
 */
async function register(api, set) {
  const roles = { compute: true, verifier: false, scheduler: false };
  const items = [];
  set.owners.forEach((owner, j) => {
    const calls = [];
    for (let i = j * NODES_PER_OWNER; i < Math.min((j + 1) * NODES_PER_OWNER, set.ids.length); i += 1) {
      if (set.ids[i] !== null) continue;
      const operator = set.operators[i].address;
      calls.push(api.tx.balances.transferKeepAlive(operator, set.operatorVcai));
      calls.push(api.tx.computeRegistry.registerNode('Stable', roles, set.gpu, LOAD_REGION, NODE_PRICE, operator, set.stake));
    }
    if (calls.length > 0) items.push({ account: owner, tx: api.tx.utility.batchAll(calls) });
  });
  if (items.length === 0) return;
  const missing = set.ids.filter((id) => id === null).length;
  log(`registering ${missing} ${set.name} nodes (stake ${set.stake / VCAI} VCAI each) from ${items.length} owners`);
  const started = Date.now();
  await submitAll(api, items);
  log(`registered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (let i = 0; i < set.ids.length; i += 1000) {
    const found = await api.query.computeRegistry.nodeOfOperator.multi(set.operators.slice(i, i + 1000).map((o) => o.address));
    found.forEach((id, k) => {
      if (id.isSome) {
        set.ids[i + k] = id.unwrap().toNumber();
        set.states.set(set.ids[i + k], 'Active');
      }
    });
  }
}

/** The set's usable nodes, with the window of their last beat (-1: none yet). */
async function nodesOf(api, set, windowMs) {
  const nodes = [];
  set.ids.forEach((id, i) => {
    if (id !== null && set.states.get(id) === 'Active') nodes.push({ id, operator: set.operators[i], lastWindow: -1, gpus: set.gpu.count });
  });
  for (let i = 0; i < nodes.length; i += 1000) {
    const slice = nodes.slice(i, i + 1000);
    const beats = await api.query.computeRegistry.heartbeats.multi(slice.map((n) => n.id));
    beats.forEach((b, k) => {
      if (b.isSome) slice[k].lastWindow = Math.floor(b.unwrap().atMs.toNumber() / windowMs);
    });
  }
  await readAccounts(api, nodes.map((n) => n.operator));
  const unusable = set.ids.filter((id) => id !== null && set.states.get(id) !== 'Active').length;
  if (unusable > 0) log(`${unusable} ${set.name} nodes are no longer active and are left out`);
  return nodes;
}

/**
 * Prepares what `kinds` need: `users` sender accounts topped up to `fund` VCAI (and USDV where
 * tasks or swaps spend it), and the heartbeat and task nodes.
 */
export async function prepare(api, options, kinds, windowMs) {
  const root = rootKey(options.tag);
  const needsUsers = kinds.some((k) => k !== 'heartbeats');
  const needsUsdv = kinds.includes('tasks') || kinds.includes('swaps');
  const users = needsUsers ? deriveAccounts(root, 'user', options.accounts) : [];
  await readAccounts(api, users);
  const target = BigInt(Math.round(options.fund * 1000)) * (VCAI / 1000n);
  const needs = [];
  const usdvOf = new Map();
  if (needsUsdv) {
    for (let i = 0; i < users.length; i += 1000) {
      const slice = users.slice(i, i + 1000);
      const found = await api.query.assets.account.multi(slice.map((u) => [USDV_ID, u.address]));
      found.forEach((a, k) => usdvOf.set(slice[k].address, a.isSome ? a.unwrap().balance.toBigInt() : 0n));
    }
  }
  for (const user of users) {
    const vcai = user.free < target / 2n ? target - user.free : 0n;
    const held = usdvOf.get(user.address) ?? USER_USDV;
    const usdv = held < USER_USDV / 2n ? USER_USDV - held : 0n;
    if (vcai > 0n || usdv > 0n) needs.push({ to: user.address, vcai, usdv });
  }

  const sets = [];
  if (kinds.includes('heartbeats') && options.nodes > 0) sets.push(await nodeSet(api, root, 'beat', options.nodes, BEAT_GPU, VCAI));
  // Task operators pay for acknowledging, starting and delivering: a delivery costs about a
  // tenth of a VCAI.
  if (kinds.includes('tasks') && options.taskNodes > 0) sets.push(await nodeSet(api, root, 'task', options.taskNodes, TASK_GPU, 100n * VCAI));
  for (const set of sets) {
    await readAccounts(api, set.owners);
    needs.push(...ownerNeeds(api, set));
  }
  await fund(api, needs);
  for (const set of sets) await register(api, set);
  await readAccounts(api, users);

  const result = { users, beatNodes: [], taskNodes: [] };
  for (const set of sets) {
    const nodes = await nodesOf(api, set, windowMs);
    if (set.name === 'beat') result.beatNodes = nodes;
    else result.taskNodes = nodes;
  }
  return result;
}
