// The GPU operator's journey on a running Vcity node, as the operator guide describes it:
// fund an operator key, register a node with its GPU spec and stake, send a heartbeat (free),
// and read the node back over vcity_nodeInfo / vcity_listNodes. Every step is checked; the
// process exits non-zero at the first failure. Used by the e2e test against `vcity-node --dev`.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/operator-flow.mjs
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { check, freeVcai as freeBalance, requiredStake, runFlow, VCAI } from '../lib/flow.mjs';
import { submit } from '../lib/vcity.mjs';

const GPU = { model: 'NVIDIA RTX 4090', count: 2, vramPerGpuGib: 24 };
const PRICE_PER_GPU_HOUR = 500_000n; // 0.5 USDV (6 decimals)

const flow = async ({ api, provider, keyring }) => {
  console.log(`chain: ${(await api.rpc.system.chain()).toString()}`);
  check(api.registry.chainTokens[0] === 'VCAI' && api.registry.chainDecimals[0] === 18, 'chain properties: VCAI with 18 decimals');

  const owner = keyring.addFromUri('//Alice');
  // A fresh operator key per run, so the flow can run again on the same chain.
  const operator = keyring.addFromUri(mnemonicGenerate());

  console.log('1. the owner funds the operator key with 1 VCAI (it must keep the existential deposit)');
  await submit(api, api.tx.balances.transferKeepAlive(operator.address, VCAI), owner);
  check((await freeBalance(api, operator.address)) === VCAI, 'operator holds 1 VCAI');

  console.log('2. the owner registers the node with its GPU spec and the stake the schedule asks');
  const { multiplier } = await api.query.computeRegistry.schedule();
  const stake = await requiredStake(api, GPU);
  check(BigInt(await provider.send('vcity_requiredStake', [GPU])) === stake, 'vcity_requiredStake says the same');
  if (multiplier.toBigInt() === VCAI) {
    // The genesis schedule at multiplier 1.0: the operator guide's worked example.
    check(stake === 10_000n * VCAI, `required stake for 2 × 24 GiB is 10,000 VCAI (got ${stake / VCAI})`);
  } else {
    console.log(`   multiplier is ${multiplier.toHuman()}: required stake ${stake / VCAI} VCAI`);
  }
  const roles = { compute: true, verifier: false, scheduler: false };
  const register = (op) => api.tx.computeRegistry.registerNode('Flexible', roles, GPU, 'eu-west', PRICE_PER_GPU_HOUR, op, stake);
  const { events } = await submit(api, register(operator.address), owner);
  const registered = events.find((e) => api.events.computeRegistry.NodeRegistered.is(e));
  check(registered !== undefined, 'NodeRegistered event emitted');
  const nodeId = registered.data.node.toNumber();
  const did = `did:vcity:${nodeId}`;
  console.log(`   node ${nodeId}, ${did}`);

  console.log('3. the operator sends a heartbeat: valid heartbeats pay no fee');
  const before = await freeBalance(api, operator.address);
  const heartbeat = () => api.tx.computeRegistry.heartbeat(nodeId, { loadPercent: 10, health: 'Healthy' });
  await submit(api, heartbeat(), operator);
  check((await freeBalance(api, operator.address)) === before, 'operator balance unchanged by the heartbeat');

  console.log('4. a second heartbeat in the same window is refused by the pool');
  let refused = null;
  // If the window happened to roll over between the two beats the second one is valid;
  // the third, sent at once, then falls in the same window and must be refused.
  for (let attempt = 0; attempt < 2 && refused === null; attempt++) {
    try {
      await submit(api, heartbeat(), operator);
      console.log('   (a new window opened; beating again)');
    } catch (e) {
      refused = String(e.message ?? e);
    }
  }
  // Custom error 2 is the registry's "too early" (extension.rs, `reject::TOO_EARLY`).
  check(refused !== null && /Invalid Transaction: Custom error: 2\b/.test(refused), `early heartbeat refused as too early (${refused})`);
  check((await freeBalance(api, operator.address)) === before, 'the refused heartbeat cost nothing');

  console.log('5. the node is read back over vcity_nodeInfo and vcity_listNodes');
  const info = await provider.send('vcity_nodeInfo', [did]);
  check(info !== null && info.id === nodeId && info.did === did, 'vcity_nodeInfo finds the node by DID');
  check(info.status === 'online', `status is online (got ${info.status})`);
  check(info.owner === owner.address && info.operator === operator.address, 'owner and operator addresses');
  check(info.gpu.count === 2 && info.gpu.vramPerGpuGib === 24 && info.gpu.totalVramGib === 48, 'GPU spec 2 × 24 GiB = 48 GiB');
  check(info.stake === stake.toString() && info.requiredStake === stake.toString(), 'stake held equals the schedule');
  check(info.pricePerGpuHour === PRICE_PER_GPU_HOUR.toString() && info.region === 'eu-west', 'price and region');
  check(typeof info.lastHeartbeatMs === 'number', 'last heartbeat recorded');
  const byOperator = await provider.send('vcity_nodeInfo', [operator.address]);
  check(byOperator?.id === nodeId, 'vcity_nodeInfo finds the node by operator address');
  check((await provider.send('vcity_nodeInfo', ['did:vcity:999999999'])) === null, 'an unknown DID gives null');
  let badIdError = null;
  try { await provider.send('vcity_nodeInfo', ['not-a-did']); } catch (e) { badIdError = String(e.message ?? e); }
  check(badIdError !== null && /invalid node id/.test(badIdError), 'a malformed id is a JSON-RPC error');
  const page = await provider.send('vcity_listNodes', [{ owner: owner.address }, { limit: 500 }]);
  check(page.nodes.some((n) => n.id === nodeId), 'vcity_listNodes by owner includes the node');

  console.log('6. bad input: the same operator key cannot run a second node');
  let rejected = null;
  try { await submit(api, register(operator.address), owner); } catch (e) { rejected = e.dispatchError ?? String(e); }
  check(rejected === 'computeRegistry.OperatorInUse', `second registration refused with ${rejected}`);
};

runFlow('operator', flow, { timeoutMs: Number(process.env.VCITY_E2E_TIMEOUT_MS ?? 120_000) });
