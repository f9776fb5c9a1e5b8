// The polkadot.js half of case 4 of scripts/fault-suite.sh: a GPU node and its agent both die
// while a task runs, both come back, and the task ends exactly once. The suite kills and restarts
// the processes between the two phases of this script, which hand each other a state file:
//
//   submit   funds fresh accounts, registers a compute node (its operator key into the node's
//            keystore, so the node's worker runs it) and another owner's scheduler node, submits
//            a task and returns once the chain says it runs and the agent says it computes it
//   finish   (after the restart) waits for the delivery, rates the task, which settles it, and
//            checks that every step happened once and the escrow paid once: the user's USDV fell
//            by exactly the task's price, the node's owner and the scheduler's owner were paid
//            their shares once, the node counts one completed task and no failure
//
//   VCITY_WS=ws://127.0.0.1:9960 VCITY_AGENT_URL=http://127.0.0.1:8795 \
//   VCITY_AGENT_SECRET_FILE=/tmp/agent/secret VCITY_FAULT_STATE=/tmp/state.json \
//   node e2e/agent-restart-flow.mjs submit|finish
//
// The last line it prints starts with `figures:`; the suite puts it in its summary.
import { readFileSync, writeFileSync } from 'node:fs';
import { cryptoWaitReady, decodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import {
  check, FLOW_REGION, freshAccounts, insertOperatorKey, onlineNode, ownerFunds, until, usdv, USDV, USDV_ID,
  VCAI, waitForTask,
} from '../lib/flow.mjs';
import { matrixDigest } from '../lib/matrix.mjs';
import { connect, sr25519Keyring, submit } from '../lib/vcity.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
};
const RTX4090X2 = { model: 'NVIDIA GeForce RTX 4090', count: 2, vramPerGpuGib: 24 };
// Long enough that the agent still computes when both processes are killed, which happens a
// block or two after the chain records the start: 35 to 45 s on a debug build.
const WORKLOAD = { seed: 2027, size: Number(process.env.VCITY_AGENT_MATRIX ?? 1024), rounds: 5 };
const SECONDS = 600;
// Per-task billing pays the chain time from the start to the delivery: at this price a few
// minutes pay more than the market's minimum escrow, the least a delivery must pay to count in
// the node's history.
const PRICE = 10n * USDV;

async function agentTasks() {
  const secret = readFileSync(env('VCITY_AGENT_SECRET_FILE'), 'utf8').trim();
  const response = await fetch(`${env('VCITY_AGENT_URL')}/v1/tasks`, { headers: { Authorization: `Bearer ${secret}` } });
  if (!response.ok) throw new Error(`the agent answered /v1/tasks with ${response.status}`);
  return (await response.json()).tasks;
}

async function head(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

async function submitPhase(api, provider) {
  const keyring = sr25519Keyring();
  const eve = keyring.addFromUri('//Eve');
  // The scheduler's owner holds USDV already: its fee (1% of a few tenths of a USDV) is below the
  // stablecoin's minimum balance and would go to the protocol on an account that holds none.
  const [owner, schedulerOwner] = await freshAccounts(
    api, eve, await ownerFunds(api, RTX4090X2), { ...(await ownerFunds(api, RTX4090X2)), usdv: USDV },
  );
  // The user signs the rating after the restart, so its secret goes into the state file.
  const userSuri = mnemonicGenerate();
  const user = keyring.addFromUri(userSuri);
  await submit(api, api.tx.utility.batchAll([
    api.tx.balances.transferKeepAlive(user.address, 10n * VCAI),
    api.tx.assets.transferKeepAlive(USDV_ID, user.address, 10n * USDV),
  ]), eve);
  const compute = { compute: true, verifier: false, scheduler: false };
  const node = await onlineNode(api, owner, RTX4090X2, compute, PRICE, { beat: false, region: FLOW_REGION.agent });
  await insertOperatorKey(provider, node.operator, node.suri);
  const scheduling = { compute: false, verifier: false, scheduler: true };
  const scheduler = await onlineNode(api, schedulerOwner, RTX4090X2, scheduling, PRICE, { region: FLOW_REGION.agent });
  // Online only once the node's worker has beaten for it, through the agent.
  await until(`node ${node.node} online`, 90_000, async () =>
    (await provider.send('vcity_nodeInfo', [`did:vcity:${node.node}`])).status === 'online');
  check(true, `compute node ${node.node} online (its worker beat through the agent)`);
  await insertOperatorKey(provider, scheduler.operator, scheduler.suri);

  const before = {
    user: await usdv(api, user.address),
    owner: await usdv(api, owner.address),
    schedulerOwner: await usdv(api, schedulerOwner.address),
  };
  const requirements = {
    gpus: 1, minVramPerGpuGib: 24, minGpuClass: 'Consumer', minStage: 0,
    placement: { Near: { region: FLOW_REGION.agent, maxRoundTripMs: 5 } },
  };
  const deadline = (await head(api)) + 400;
  const { blockHash, events } = await submit(
    api,
    api.tx.computeMarket.submitTask(requirements, SECONDS, deadline, 2n * PRICE, { Builtin: { MatrixProduct: WORKLOAD } }, 'PerTask'),
    user,
  );
  const submitted = events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data;
  const task = submitted.task.toNumber();
  const submittedAt = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  check(true, `task ${task} submitted at #${submittedAt}, escrow ${submitted.escrow.toBigInt()} USDV units held`);
  const running = await waitForTask(provider, task, (t) => t.status === 'running', 180_000, 'running');
  check(running.node === node.node && running.scheduler === scheduler.node, `task ${task} running on node ${node.node}, matched by scheduler node ${scheduler.node}`);
  const held = (await agentTasks()).find((t) => t.id === task);
  if (held?.state !== 'running') {
    throw new Error(`the agent no longer computes task ${task} (${held?.state ?? 'gone'}): too small a matrix for this agent, raise VCITY_AGENT_MATRIX`);
  }
  check(true, `the agent computes it at #${await head(api)}`);
  writeFileSync(env('VCITY_FAULT_STATE'), JSON.stringify({
    task, submittedAt, node: node.node, scheduler: scheduler.node, operator: node.operator.address,
    user: user.address, owner: owner.address, schedulerOwner: schedulerOwner.address,
    userSuri, before: Object.fromEntries(Object.entries(before).map(([k, v]) => [k, String(v)])),
  }));
}

/** Every market event of `task`, and every failed extrinsic of `signer`, from block `from` on. */
async function history(api, task, signer, from, to) {
  const counts = {};
  const failures = [];
  let settled = null;
  let delivered = null;
  let startedMs = null;
  const signerKey = u8aToHex(decodeAddress(signer));
  for (let n = from; n <= to; n += 1) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [events, block] = await Promise.all([(await api.at(hash)).query.system.events(), api.rpc.chain.getBlock(hash)]);
    for (const { event, phase } of events) {
      if (event.section === 'computeMarket' && event.data.task?.toNumber?.() === task) {
        counts[event.method] = (counts[event.method] ?? 0) + 1;
        if (event.method === 'TaskSettled') settled = event.data;
        const now = async () => (await (await api.at(hash)).query.timestamp.now()).toBigInt();
        if (event.method === 'TaskStarted') startedMs = await now();
        if (event.method === 'TaskDelivered') {
          delivered = { billed: BigInt(event.data.billedGpuSeconds.toString()), at: n, heldMs: (await now()) - startedMs };
        }
      }
      if (api.events.system.ExtrinsicFailed.is(event) && phase.isApplyExtrinsic) {
        const extrinsic = block.block.extrinsics[phase.asApplyExtrinsic.toNumber()];
        if (extrinsic.isSigned && u8aToHex(decodeAddress(extrinsic.signer.toString())) === signerKey) {
          failures.push(`#${n} ${extrinsic.method.section}.${extrinsic.method.method}`);
        }
      }
    }
  }
  return { counts, failures, settled, delivered };
}

async function finishPhase(api, provider) {
  const state = JSON.parse(readFileSync(env('VCITY_FAULT_STATE'), 'utf8'));
  const { task } = state;
  const user = sr25519Keyring().addFromUri(state.userSuri);
  const restartedMs = Number(process.env.VCITY_FAULT_RESTARTED_MS || Date.now());
  const delivered = await waitForTask(provider, task, (t) => t.status !== 'running', 300_000, 'delivered');
  const deliveredAfter = Math.round((Date.now() - restartedMs) / 1000);
  check(delivered.status === 'delivered', `task ${task} delivered ${deliveredAfter} s after the node's restart`);
  const expected = matrixDigest(WORKLOAD);
  check(delivered.result === expected, `with the digest a verifier recomputes (${expected.slice(0, 18)}…)`);
  await submit(api, api.tx.computeMarket.rateTask(task, 5), user);
  const settled = await provider.send('vcity_task', [task]);
  check(settled.status === 'settled', 'rated by the user and settled');
  // A duplicate step the worker sent after the restart would land within a couple of blocks.
  const end = (await head(api)) + 3;
  await until(`block #${end}`, 60_000, async () => (await head(api)) >= end);
  await until('the agent to forget the delivered task', 60_000, async () => !(await agentTasks()).some((t) => t.id === task));
  check(true, 'the agent was told to forget it');

  const { counts, failures, settled: split, delivered: delivery } = await history(api, task, state.operator, state.submittedAt, end);
  const once = ['TaskSubmitted', 'TaskAssigned', 'TaskAcknowledged', 'TaskStarted', 'TaskDelivered', 'TaskRated', 'TaskSettled'];
  for (const method of once) check(counts[method] === 1, `one ${method} (${counts[method] ?? 0})`);
  const others = Object.keys(counts).filter((m) => !once.includes(m));
  check(others.length === 0, `no other event of the task (${others.join(', ') || 'none'}: no requeue, decline, failure or refund)`);
  check(failures.length === 0, `no failed transaction from the node's operator key (${failures.join(', ') || 'none'})`);

  const node = await provider.send('vcity_nodeInfo', [`did:vcity:${state.node}`]);
  check(node.tasksCompleted === 1 && node.tasksFailed === 0, `node ${state.node}: ${node.tasksCompleted} task completed, ${node.tasksFailed} failed`);

  const before = Object.fromEntries(Object.entries(state.before).map(([k, v]) => [k, BigInt(v)]));
  const price = BigInt(settled.pricePerGpuHour);
  // Per-task billing pays the chain time the task was held, from its start to its delivery, the
  // restart included, once: not the killed run and the rerun apart.
  const heldSeconds = (delivery.heldMs + 999n) / 1000n;
  check(delivery.billed === heldSeconds, `billed ${delivery.billed} GPU-seconds: the chain time from the start to the delivery`);
  const cost = (price * delivery.billed + 3599n) / 3600n;
  const paid = split.nodeShare.toBigInt() + split.schedulerFee.toBigInt() + split.verificationFee.toBigInt() + split.protocolRevenue.toBigInt();
  check(paid === cost && BigInt(settled.paid) === cost, `paid ${cost} USDV units once: ${price} per GPU-hour × ${delivery.billed} s`);
  const userAfter = await usdv(api, state.user);
  check(before.user - userAfter === cost, `the user's USDV fell by exactly that (${before.user} → ${userAfter})`);
  const ownerAfter = await usdv(api, state.owner);
  check(ownerAfter - before.owner === split.nodeShare.toBigInt(), `the node's owner was paid its share once (+${ownerAfter - before.owner})`);
  const schedulerAfter = await usdv(api, state.schedulerOwner);
  const fee = split.schedulerFee.toBigInt();
  check(fee > 0n && schedulerAfter - before.schedulerOwner === fee, `the scheduler's owner its fee once (+${schedulerAfter - before.schedulerOwner})`);
  console.log(`figures: task ${task} delivered at #${delivery.at}, ${deliveredAfter} s after the node's restart; billed ${delivery.billed} s, paid ${cost} USDV units once (node share ${split.nodeShare.toBigInt()})`);
}

async function main() {
  const phase = process.argv[2];
  if (!['submit', 'finish'].includes(phase)) throw new Error('usage: agent-restart-flow.mjs submit|finish');
  await cryptoWaitReady();
  const { api, provider } = await connect(env('VCITY_WS'));
  try {
    if (phase === 'submit') await submitPhase(api, provider);
    else await finishPhase(api, provider);
  } finally {
    await api.disconnect().catch(() => {});
  }
}

// Every wait above is bounded; this bounds the whole phase.
setTimeout(() => {
  console.error('agent-restart flow: timed out after 10 minutes');
  process.exit(1);
}, 600_000).unref();
main().then(
  () => process.exit(0),
  (e) => {
    console.error(`agent-restart flow failed: ${e.stack ?? e}`);
    process.exit(1);
  },
);
