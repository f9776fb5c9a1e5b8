// A GPU operator's node with vcity-agent beside it, end to end on real binaries. The node was
// started with --agent-url and --agent-secret-file; this flow starts the agent (a simulated
// profile of two RTX 4090), registers the node with the compute role, and a scheduler node of
// another owner (a scheduler may not give work to its own owner's nodes), and puts both operator
// keys into the node's keystore. The node keeps the agent's secret in memory: the offchain RPC
// neither reads it nor, by writing the key older nodes kept it under, points the worker at
// another agent. From then on nobody signs anything for the nodes: the offchain
// worker beats for the compute node, matches the user's task to it as the scheduler, hands the
// task to the agent, reports the start and the result. The agent is killed while the task runs and restarted: the task is
// delivered once, with the digest a verifier recomputes (scripts/lib/matrix.mjs). The node leaves
// at the end, so its worker matches no later flow's tasks.
//
//   VCITY_WS=ws://127.0.0.1:9944 VCITY_AGENT_BIN=.../vcity-agent VCITY_AGENT_PORT=8790 \
//   VCITY_AGENT_DIR=/tmp/agent VCITY_AGENT_SECRET_FILE=/tmp/agent/secret \
//   VCITY_AGENT_PROFILE=../agent/profiles/rtx4090x2.json node e2e/agent-flow.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactAddLength, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { agentHostFromEnv, startAgent, stopAgent } from '../lib/agent-process.mjs';
import {
  check, FLOW_REGION, freshAccounts, insertOperatorKey, onlineNode, ownerFunds, runFlow, sleep, until, USDV,
  VCAI, waitForNoOtherScheduler, waitForTask,
} from '../lib/flow.mjs';
import { matrixDigest } from '../lib/matrix.mjs';
import { submit } from '../lib/vcity.mjs';

const host = agentHostFromEnv();
const { dir, secretFile, url: agentUrl } = host;
const RTX4090X2 = { model: 'NVIDIA GeForce RTX 4090', count: 2, vramPerGpuGib: 24 };
// Large enough that the agent is still computing when it is killed (it leaves a core to the
// node, so one thread here), small enough for a debug build: about 45 s.
const WORKLOAD = { seed: 2026, size: Number(process.env.VCITY_AGENT_MATRIX ?? 1024), rounds: 5 };

let agent = null;

function killAgent() {
  stopAgent(agent);
  agent = null;
}

async function agentGet(path, secret) {
  const headers = secret === undefined ? {} : { Authorization: `Bearer ${secret}` };
  const response = await fetch(`${agentUrl}${path}`, { headers });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** Every TaskDelivered event of `task` in the blocks seen so far. */
function deliveriesCounter(api, task) {
  let count = 0;
  const seen = new Set();
  const unsubscribe = api.rpc.chain.subscribeNewHeads(async (header) => {
    const hash = header.hash.toHex();
    if (seen.has(hash)) return;
    seen.add(hash);
    const events = await (await api.at(header.hash)).query.system.events();
    for (const { event } of events) {
      if (api.events.computeMarket.TaskDelivered.is(event) && event.data.task.toNumber() === task) count += 1;
    }
  });
  return { count: () => count, stop: async () => (await unsubscribe)() };
}

runFlow('agent', async ({ api, provider, keyring }) => {
  const [owner, schedulerOwner, user] = await freshAccounts(
    api,
    keyring.addFromUri('//Eve'),
    await ownerFunds(api, RTX4090X2),
    await ownerFunds(api, RTX4090X2),
    { vcai: 10n * VCAI, usdv: 10n * USDV },
  );
  const secret = readFileSync(secretFile, 'utf8').trim();

  console.log('1. the agent starts on a host without NVIDIA GPUs, from a declared profile');
  agent = await startAgent(host);
  const status = await agentGet('/v1/status', secret);
  check(status.status === 200 && status.body.simulated === true, 'its status says simulated');
  check(status.body.gpus.length === 2 && status.body.gpus.every((g) => g.model === RTX4090X2.model), 'two RTX 4090');
  check((await agentGet('/v1/status')).status === 401, 'without the secret: 401');
  const wrong = await agentGet('/v1/status', 'not-the-secret');
  check(wrong.status === 401 && wrong.body.error === 'unauthorized', 'with another secret: 401 unauthorized');
  const malformed = await fetch(`${agentUrl}/v1/tasks`, {
    method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: '{"id":',
  });
  check(malformed.status === 400, 'a malformed task: 400');
  const metrics = await (await fetch(`${agentUrl}/metrics`)).text();
  check(metrics.includes('vcity_agent_'), 'Prometheus metrics served on /metrics');

  console.log('1b. the node holds the secret in memory only: the offchain RPC cannot read it or redirect the worker');
  // The key under which older nodes kept the settings (url and secret) in the offchain database.
  const settingsKey = u8aToHex(stringToU8a('vcity/agent/settings'));
  const stored = await provider.send('offchain_localStorageGet', ['PERSISTENT', settingsKey]);
  check(stored === null, 'offchain_localStorageGet finds no agent settings: the secret is not readable over RPC');
  // Settings naming a port nothing listens on, with another secret: a worker that took them
  // would never beat for the node in step 2.
  const elsewhere = u8aConcat(compactAddLength(stringToU8a('http://127.0.0.1:9')), compactAddLength(stringToU8a('not-the-secret')));
  await provider.send('offchain_localStorageSet', ['PERSISTENT', settingsKey, u8aToHex(elsewhere)]);

  console.log('2. the operator registers the node (compute role) and gives the node its key; another owner\'s scheduler node joins');
  const roles = { compute: true, verifier: false, scheduler: false };
  const node = await onlineNode(api, owner, RTX4090X2, roles, USDV, { beat: false, region: FLOW_REGION.agent });
  await insertOperatorKey(provider, node.operator, node.suri);
  // Beaten once by hand: a heartbeat window (ten minutes on --dev) outlasts this flow.
  const schedulerRoles = { compute: false, verifier: false, scheduler: true };
  const scheduler = await onlineNode(api, schedulerOwner, RTX4090X2, schedulerRoles, USDV, { region: FLOW_REGION.agent });
  const beat = Date.now();
  for (;;) {
    const info = await provider.send('vcity_nodeInfo', [`did:vcity:${node.node}`]);
    if (info.status === 'online') break;
    if (Date.now() - beat > 60_000) throw new Error(`node ${node.node} never came online (${info.status})`);
    await sleep(1_000);
  }
  check(true, `node ${node.node} online: its worker sent the first heartbeat by itself, from the agent it was started with`);
  await provider.send('offchain_localStorageClear', ['PERSISTENT', settingsKey]);

  console.log('3. a user submits a task; the scheduler node\'s worker matches it, the agent runs it');
  await waitForNoOtherScheduler(provider, [scheduler.node]);
  await insertOperatorKey(provider, scheduler.operator, scheduler.suri);
  const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 400;
  // In the node's region only (a round trip between two regions costs more than 5 ms), so no
  // other flow's node can take it.
  const requirements = {
    gpus: 1, minVramPerGpuGib: 24, minGpuClass: 'Consumer', minStage: 0,
    placement: { Near: { region: FLOW_REGION.agent, maxRoundTripMs: 5 } },
  };
  const workload = { Builtin: { MatrixProduct: WORKLOAD } };
  const { events } = await submit(
    api, api.tx.computeMarket.submitTask(requirements, 600, deadline, 3n * USDV, workload, 'PerTask'), user,
  );
  const task = events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();
  const deliveries = deliveriesCounter(api, task);
  const running = await waitForTask(provider, task, (t) => t.status === 'running', 120_000, 'running');
  check(running.node === node.node && running.scheduler === scheduler.node, `task ${task} assigned to node ${node.node} by scheduler node ${scheduler.node}`);
  const held = await agentGet('/v1/tasks', secret);
  check(held.body.tasks.some((t) => t.id === task && t.state === 'running'), 'the agent runs it');

  console.log('4. the agent is killed mid-task; the chain still waits, nothing is reported');
  killAgent();
  // A worker run that read the agent just before it died may still submit what it read, and a
  // transaction in the pool is not in the chain's nonce yet: count from two blocks after the
  // kill, with the pool.
  const killedAt = (await api.rpc.chain.getHeader()).number.toNumber();
  await until('two blocks after the agent is killed', 60_000, async () =>
    (await api.rpc.chain.getHeader()).number.toNumber() >= killedAt + 2);
  const nonceBefore = (await api.rpc.system.accountNextIndex(node.operator.address)).toNumber();
  await sleep(15_000);
  check((await provider.send('vcity_task', [task])).status === 'running', 'still running on chain');
  const nonceAfter = (await api.rpc.system.accountNextIndex(node.operator.address)).toNumber();
  check(nonceAfter === nonceBefore, `no transaction from the operator while the agent is down (nonce ${nonceAfter})`);

  console.log('5. the agent restarts, reruns the task from its saved state, the worker delivers it');
  agent = await startAgent(host);
  const restarted = readFileSync(join(dir, 'agent.log'), 'utf8').split('\n');
  check(
    restarted.some((line) => line.includes('it runs again from the start') && line.includes(`"task":${task}`)),
    'the restarted agent found the task it was running in its saved state and runs it again',
  );
  const delivered = await waitForTask(provider, task, (t) => t.status === 'delivered', 240_000, 'delivered');
  const expected = matrixDigest(WORKLOAD);
  check(delivered.result === expected, `delivered with the digest a verifier recomputes (${expected.slice(0, 18)}…)`);
  await sleep(18_000);
  check(deliveries.count() === 1, 'delivered exactly once');
  const after = await agentGet('/v1/tasks', secret);
  check(!after.body.tasks.some((t) => t.id === task), 'the agent was told to forget the delivered task');
  await deliveries.stop();

  console.log('6. the user rates it; the task settles');
  await submit(api, api.tx.computeMarket.rateTask(task, 5), user);
  check((await provider.send('vcity_task', [task])).status === 'settled', 'settled');

  console.log('7. both nodes retire; the scheduler\'s worker stops matching');
  await submit(api, api.tx.computeRegistry.deregister(scheduler.node), schedulerOwner);
  await submit(api, api.tx.computeRegistry.deregister(node.node), owner);
  for (const id of [scheduler.node, node.node]) {
    const gone = await provider.send('vcity_nodeInfo', [`did:vcity:${id}`]);
    check(gone.status === 'unbonding', `node ${id} is unbonding`);
  }
}, { cleanup: async () => killAgent() });
