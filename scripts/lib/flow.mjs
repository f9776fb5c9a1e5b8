// Helpers the end-to-end flows share: the shell every flow runs in, checks that print what they
// proved, fresh funded accounts, balances, the accounts pallets derive from their ids, and a node
// brought online the way an operator does it.
//
// A flow passes whatever other flows did on the same chain before it: its actors are new
// accounts the dev accounts fund, its compute nodes sit in a region of their own
// (`FLOW_REGION`), and before it submits a task it waits until no other scheduler node matches
// from this node's keystore (`waitForNoOtherScheduler`).
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, encodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';
import { allPages, connect, sr25519Keyring, submit } from './vcity.mjs';

export const VCAI = 10n ** 18n;
export const USDV = 1_000_000n;
export const USDV_ID = 1000;

/**
 * Where each flow's compute nodes are. A node stays online for a heartbeat window after its last
 * beat, and a scheduler node's worker gives a queued task to any idle node that fits it. The
 * flows whose task a worker matches ask for nodes in their region (agent) or near it (market:
 * within 50 ms of eu-central), where no other flow has a node that could take the task; the
 * slashing flow's tasks ask for its own region, so only its nodes fit them.
 */
export const FLOW_REGION = {
  market: 'eu-west', agent: 'us-west', rewards: 'ap-northeast', buyback: 'sa-east', slashing: 'af-south',
  verification: 'me-central',
};

/**
 * Runs the flow `name` against the node at $VCITY_WS (default ws://127.0.0.1:9944): `body` gets
 * the API, the provider (for the vcity_* methods) and a keyring, and the process exits 0 once
 * the flow passed or 1 at its first failure. `cleanup` runs however it ends; a flow still
 * running after `timeoutMs` fails.
 */
export async function runFlow(name, body, { cleanup = async () => {}, timeoutMs = undefined } = {}) {
  const fail = async (message) => {
    console.error(`${name} flow failed: ${message}`);
    await cleanup();
    process.exit(1);
  };
  if (timeoutMs !== undefined) setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs).unref();
  try {
    await cryptoWaitReady();
    const { api, provider } = await connect(process.env.VCITY_WS ?? 'ws://127.0.0.1:9944');
    try {
      await body({ api, provider, keyring: sr25519Keyring() });
      await checkRuntimeUpgrade(provider);
    } finally {
      await api.disconnect().catch(() => {});
    }
  } catch (e) {
    await fail(e.stack ?? e);
  }
  console.log(`${name} flow passed`);
  await cleanup();
  process.exit(0);
}

/**
 * The runtime upgrade as `try-runtime` checks it, on the state this flow left: every migration's
 * pre- and post-upgrade check, every pallet's storage version against its code, the whole state
 * decoding and every pallet's `try_state` (`TryRuntime_on_runtime_upgrade` with
 * `UpgradeCheckSelect::All`, encoded 0x01). The call runs on a copy of the best block's state, so
 * the chain goes on as it was. A failed check panics in the runtime and the call returns its
 * message as an error.
 */
export async function checkRuntimeUpgrade(provider) {
  const hash = await provider.send('chain_getBlockHash', []);
  const { number } = await provider.send('chain_getHeader', [hash]);
  await provider.send('state_call', ['TryRuntime_on_runtime_upgrade', '0x01', hash]);
  check(true, `the runtime upgrade's checks pass on the state at #${Number(number)}`);
}

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

/**
 * New accounts of this run, one per entry of `funds` (`{ vcai, usdv }` in base units), funded by
 * `funder` (a dev account) in one batch. A flow's actors start empty, so what they hold shows
 * what this flow did and nothing else.
 */
export async function freshAccounts(api, funder, ...funds) {
  const keyring = sr25519Keyring();
  const accounts = funds.map(() => keyring.addFromUri(mnemonicGenerate()));
  const transfers = funds.flatMap(({ vcai = 0n, usdv: stable = 0n }, i) => [
    ...(vcai > 0n ? [api.tx.balances.transferKeepAlive(accounts[i].address, vcai)] : []),
    ...(stable > 0n ? [api.tx.assets.transferKeepAlive(USDV_ID, accounts[i].address, stable)] : []),
  ]);
  await submit(api, api.tx.utility.batchAll(transfers), funder);
  return accounts;
}

/**
 * The stake the registry asks of a node of `gpu` now, as the chain computes it (the runtime API
 * behind `vcity_requiredStake`): tier × count × multi-GPU coefficient × multiplier.
 */
export async function requiredStake(api, gpu) {
  const stake = await api.call.computeRegistryApi.requiredStake(gpu);
  if (stake.isNone) throw new Error('the registry has no stake schedule');
  return stake.unwrap().toBigInt();
}

/**
 * What a fresh owner of a node of `gpu` needs: the stake, with a quarter more in case a period
 * starts before the node registers (the multiplier moves at most 10% a period; on `dev-fast` a
 * period is a few minutes), the deposit the registry holds for the node's record
 * (`api.consts.computeRegistry.recordDeposit`), and ten VCAI for fees and the operator key.
 */
export async function ownerFunds(api, gpu) {
  const deposit = api.consts.computeRegistry.recordDeposit.toBigInt();
  const stake = await requiredStake(api, gpu);
  return { vcai: stake + stake / 4n + deposit + 10n * VCAI };
}

/**
 * The account a pallet derives from its PalletId, as `PalletId::into_account_truncating` does:
 * `modl`, the 8-byte id, zeros to 32 bytes. Takes the id the chain publishes
 * (`api.consts.buyback.palletId`), so no script holds a copy.
 */
export function palletAccount(palletId) {
  const id = palletId.toU8a();
  return encodeAddress(u8aConcat(stringToU8a('modl'), id, new Uint8Array(32 - 4 - id.length)), 42);
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
 * Registers an online node for `owner` at `price` USDV per GPU-hour in `region` with a fresh
 * operator key, funded with one VCAI for its fees; returns the key, its secret URI and the node's
 * id. With `beat` false the first heartbeat is left to the node's offchain worker.
 */
export async function onlineNode(api, owner, gpu, roles, price, { beat = true, region = 'eu-west' } = {}) {
  const suri = mnemonicGenerate();
  const operator = sr25519Keyring().addFromUri(suri);
  await submit(api, api.tx.balances.transferKeepAlive(operator.address, VCAI), owner);
  // The node stakes exactly what is required; a period that starts between the read and the
  // block may raise the multiplier, and then the requirement is read again.
  let events;
  for (let attempt = 1; ; attempt += 1) {
    const stake = await requiredStake(api, gpu);
    try {
      ({ events } = await submit(
        api,
        api.tx.computeRegistry.registerNode('Stable', roles, gpu, region, price, operator.address, stake),
        owner,
      ));
      break;
    } catch (error) {
      if (attempt === 3 || !String(error.message).includes('StakeBelowRequired')) throw error;
    }
  }
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

/**
 * Waits until no online scheduler node but `ours` has its operator key in this node's keystore.
 * Such a node's worker matches every queued task it sees to any idle node that fits, so it would
 * race a flow that assigns its own task, by hand or by its own worker. It stops when it leaves
 * (the market and agent flows retire theirs at their end) or when its heartbeat window runs out.
 */
export async function waitForNoOtherScheduler(provider, ours = [], timeoutMs = 15 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let waited = false; ; waited = true) {
    const online = await allPages(provider, 'vcity_listNodes', [{ status: 'online' }], 'nodes');
    const others = [];
    for (const node of online.filter((n) => n.roles.scheduler && !ours.includes(n.id))) {
      if (await provider.send('author_hasKey', [u8aToHex(decodeAddress(node.operator)), 'vcty'])) others.push(node.id);
    }
    if (others.length === 0) return;
    if (Date.now() > deadline) throw new Error(`scheduler node(s) ${others.join(', ')} still match from this node's keystore`);
    if (!waited) console.log(`   waiting until scheduler node(s) ${others.join(', ')}, matching from this node's keystore, go offline`);
    await sleep(3_000);
  }
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

/** Polls `read` every two seconds until it returns something truthy, for at most `ms`. */
export async function until(what, ms, read) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2_000);
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
