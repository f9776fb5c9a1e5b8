// Verification end to end on a dev-fast node with vcity-agent beside it. Three verifier nodes
// of three owners join the pool; the operator keys of two of them are in the node's keystore,
// so its offchain worker has the agent recompute every job they are drawn for and commits and
// reveals their answers by itself; the third never answers.
//   1. A compute node whose operator key is in the keystore too, served by the agent, is drawn
//      for a capacity challenge: its worker has the agent compute the seeded workload for its
//      two GPUs beside its tasks and commits before the deadline; the verifiers recompute it;
//      the node passes and the answering verifiers are paid. Its worker then runs a task
//      through the agent by itself; the task's audit passes and settles it.
// Another compute node, run by hand:
//   2. delivers the right digest of a matrix task, which its buyer disputes anyway: the audit
//      passes, the task settles at once, the buyer's deposit pays the two answering verifiers,
//      the silent one is reported absent;
//   3. signs a wrong digest: its buyer disputes, the audit finds the false result, the task is
//      refunded with the dispute deposit, the node is suspended at once and its whole stake
//      slashed when the case's window ends.
// Balances add up to the unit: the buyer paid exactly the first task and its deposit, the
// verification fees' account gained the fee and the deposit less the rewards it paid, and the
// slash went whole to the buyer, the reporters and the treasury.
//
//   VCITY_WS=ws://127.0.0.1:9944 VCITY_AGENT_BIN=.../vcity-agent VCITY_AGENT_PORT=8791 \
//   VCITY_AGENT_DIR=/tmp/agent VCITY_AGENT_SECRET_FILE=/tmp/agent/secret \
//   VCITY_AGENT_PROFILE=../agent/profiles/rtx4090x2.json node e2e/verification-flow.mjs
import { u8aToHex } from '@polkadot/util';
import { agentHostFromEnv, startAgent, stopAgent } from '../lib/agent-process.mjs';
import {
  beatIfDue, check, FLOW_REGION, freshAccounts, insertOperatorKey, onlineNode, ownerFunds, palletAccount, runFlow,
  sleep, usdv, USDV, USDV_ID, VCAI, waitForTask,
} from '../lib/flow.mjs';
import { matrixDigest } from '../lib/matrix.mjs';
import { submit } from '../lib/vcity.mjs';

const host = agentHostFromEnv();
const RTX4090X2 = { model: 'NVIDIA GeForce RTX 4090', count: 2, vramPerGpuGib: 24 };
const REGION = FLOW_REGION.verification;

let agent = null;

/** Collects the verification, slashing and market pallets' events of every new block. */
function eventLog(api) {
  const events = [];
  const seen = new Set();
  const unsubscribe = api.rpc.chain.subscribeNewHeads(async (header) => {
    const hash = header.hash.toHex();
    if (seen.has(hash)) return;
    seen.add(hash);
    for (const { event } of await (await api.at(header.hash)).query.system.events()) {
      if (['verification', 'slashing', 'computeMarket'].includes(event.section)) events.push(event);
    }
  });
  return { events, stop: async () => (await unsubscribe)() };
}

async function waitFor(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1_000);
  }
}

runFlow('verification', async ({ api, provider, keyring }) => {
  const funds = await ownerFunds(api, RTX4090X2);
  const [ownerA, ownerB, ownerC, computeOwner, honestOwner, user] = await freshAccounts(
    api, keyring.addFromUri('//Eve'), funds, funds, funds, funds, funds, { vcai: 10n * VCAI, usdv: 20n * USDV },
  );
  const alice = keyring.addFromUri('//Alice');
  const log = eventLog(api);
  agent = await startAgent(host);

  console.log('1. three verifier nodes join the pool; the node\'s worker answers for two of them');
  const verifierRoles = { compute: false, verifier: true, scheduler: false };
  const verifiers = [];
  for (const owner of [ownerA, ownerB, ownerC]) {
    const v = await onlineNode(api, owner, RTX4090X2, verifierRoles, USDV, { region: REGION });
    await submit(api, api.tx.verification.joinPool(v.node), owner);
    verifiers.push({ ...v, owner });
  }
  const [answering1, answering2, silent] = verifiers;
  await insertOperatorKey(provider, answering1.operator, answering1.suri);
  await insertOperatorKey(provider, answering2.operator, answering2.suri);
  check((await api.query.verification.poolSize()).toNumber() >= 3, 'the pool holds the three verifiers');

  // Every delivery audited, so the first one is too (the default audits 5%).
  const params = (await api.query.verification.params()).toJSON();
  await submit(api, api.tx.sudo.sudo(api.tx.verification.setParams({ ...params, auditFraction: 1_000_000_000 })), alice);
  // The verification fees earlier tasks paid in: enough for this flow's rewards.
  const pot = palletAccount(api.consts.verification.palletId);
  await submit(api, api.tx.assets.transferKeepAlive(USDV_ID, pot, 1n * USDV), user);
  const reward = BigInt(params.answerReward);

  console.log('1b. a compute node served by the agent is challenged and shows its two GPUs');
  const computeRoles = { compute: true, verifier: false, scheduler: false };
  const served = await onlineNode(api, honestOwner, RTX4090X2, computeRoles, USDV, { region: REGION });
  await insertOperatorKey(provider, served.operator, served.suri);
  // Every online compute node once a dev day (ten blocks), until this one is drawn.
  const table = (await api.query.verification.challenges()).toJSON();
  const setShare = (share) => submit(api, api.tx.sudo.sudo(api.tx.verification.setChallengeParams({ ...table, dailyFraction: share })), alice);
  await setShare(1_000_000_000);
  // The silent verifier, run by hand, beats meanwhile: a draw drops a node it finds offline.
  const keepSilentOnline = () => beatIfDue(api, provider, silent.node, silent.operator);
  const opened = await waitFor('a challenge of the served node', 180_000, async () => {
    await keepSilentOnline();
    return log.events.find((e) => e.method === 'ChallengeOpened' && e.data.node.toNumber() === served.node);
  });
  await setShare(0);
  const challenge = opened.data.job.toNumber();
  check(opened.data.gpus.toNumber() === 2, `challenge ${challenge} asks for the node's two idle GPUs by block ${opened.data.answerBy}`);
  // The dev table walks 128 KiB of table per declared GiB: 2 × 24 GiB give 6 MiB, 98,304 items
  // of 64 bytes, read four times over; the agents of the node and of the verifiers walk it.
  const walk = opened.data.memory.unwrap();
  const items = (BigInt(RTX4090X2.count * RTX4090X2.vramPerGpuGib) * BigInt(table.consumer.memoryKibPerGib) * 16n + 1023n) / 1024n * 1024n;
  check(walk.items.toBigInt() === items && walk.reads.toBigInt() === items * BigInt(table.consumer.memoryReadsPerItem),
    `and walks a table of ${walk.items} items sized to its 48 GiB (${walk.reads} reads)`);
  const challengeOwners = await Promise.all([answering1, answering2].map((v) => usdv(api, v.owner.address)));
  const ended = await waitFor('the challenge\'s verdict', 180_000, async () => {
    await keepSilentOnline();
    return log.events.find((e) => e.method === 'ChallengeConcluded' && e.data.job.toNumber() === challenge);
  });
  check(ended.data.verdict.toString() === 'Passed', 'the node answered in time what the verifiers found: passed');
  const afterChallenge = await Promise.all([answering1, answering2].map((v) => usdv(api, v.owner.address)));
  check(afterChallenge.every((after, i) => after === challengeOwners[i] + reward), 'the answering verifiers were paid for the check');
  check((await api.query.slashing.caseOfNode(served.node)).isNone, 'no case against the node');
  if ((await api.query.verification.slotOfVerifier(silent.node)).isNone) {
    await keepSilentOnline();
    await submit(api, api.tx.verification.joinPool(silent.node), silent.owner);
  }

  console.log('1c. the same node runs a task through its agent; the task\'s audit passes and it settles');
  const requirements = {
    gpus: 1, minVramPerGpuGib: 24, minGpuClass: 'Consumer', minStage: 0,
    placement: { Near: { region: REGION, maxRoundTripMs: 5 } },
  };
  const submitted = await submit(
    api,
    api.tx.computeMarket.submitTask(
      requirements, 600, (await api.rpc.chain.getHeader()).number.toNumber() + 200, 3n * USDV,
      { Builtin: { MatrixProduct: { seed: 10, size: 64, rounds: 1 } } }, 'PerTask',
    ),
    user,
  );
  const servedTask = submitted.events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();
  await submit(api, api.tx.computeMarket.assignDirectly(servedTask, served.node), user);
  const servedAudit = await waitFor('the audit of the served node\'s task', 180_000, async () => {
    await keepSilentOnline();
    return log.events.find((e) => e.method === 'AuditOpened' && e.data.task.toNumber() === servedTask);
  });
  const servedJob = servedAudit.data.job.toNumber();
  await waitForTask(provider, servedTask, (t) => t.status === 'settled', 240_000, 'settled');
  const servedVerdict = log.events.find((e) => e.method === 'AuditConcluded' && e.data.job.toNumber() === servedJob);
  check(servedVerdict?.data.verdict.toString() === 'Passed', `its worker delivered task ${servedTask}; the audit passed and settled it`);
  check((await api.query.slashing.caseOfNode(served.node)).isNone, 'the honest node has no case against it');
  if ((await api.query.verification.slotOfVerifier(silent.node)).isNone) {
    await keepSilentOnline();
    await submit(api, api.tx.verification.joinPool(silent.node), silent.owner);
  }

  console.log('2. another compute node, signed by hand, delivers the right result: the audit passes');
  // The stake asked of a node moves with the network's utilization period by period: what was
  // enough at the start may not be now.
  await submit(api, api.tx.balances.transferKeepAlive(computeOwner.address, (await ownerFunds(api, RTX4090X2)).vcai), keyring.addFromUri('//Eve'));
  const compute = await onlineNode(api, computeOwner, RTX4090X2, computeRoles, USDV, { region: REGION });
  const runTask = async (seed, digestOf) => {
    for (const v of [compute, silent]) await beatIfDue(api, provider, v.node, v.operator);
    const workload = { seed, size: 64, rounds: 1 };
    const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 200;
    const requirements = {
      gpus: 1, minVramPerGpuGib: 24, minGpuClass: 'Consumer', minStage: 0,
      placement: { Near: { region: REGION, maxRoundTripMs: 5 } },
    };
    const { events } = await submit(
      api,
      api.tx.computeMarket.submitTask(requirements, 600, deadline, 3n * USDV, { Builtin: { MatrixProduct: workload } }, 'PerTask'),
      user,
    );
    const task = events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();
    await submit(api, api.tx.computeMarket.assignDirectly(task, compute.node), user);
    await submit(api, api.tx.computeMarket.acknowledgeTask(task), compute.operator);
    await submit(api, api.tx.computeMarket.startTask(task), compute.operator);
    await sleep(6_000);
    await submit(api, api.tx.computeMarket.completeTask(task, digestOf(workload), 0), compute.operator);
    // The silent verifier stays online for the draw, two blocks on: it is drawn and says nothing.
    await beatIfDue(api, provider, silent.node, silent.operator);
    return task;
  };
  const userBefore = await usdv(api, user.address);
  const potBefore = await usdv(api, pot);
  const ownersBefore = await Promise.all([answering1, answering2].map((v) => usdv(api, v.owner.address)));
  const honest = await runTask(11, (w) => matrixDigest(w));
  // A buyer who doubts a right result pays for its audit: the deposit goes to the verifiers.
  await submit(api, api.tx.computeMarket.disputeTask(honest), user);
  const deposit = BigInt(params.disputeDeposit);
  const audit = await waitFor('the audit of the first task to open', 60_000, async () => {
    const status = (await api.query.verification.auditOfTask(honest)).toJSON();
    return status?.open ?? null;
  });
  const seats = (await api.query.verification.jobs(audit)).toJSON().seats.map((s) => s.verifier);
  check(seats.length === 3, `audit ${audit} opened for task ${honest} with verifiers ${seats}`);
  // The node, run by hand, beats while it waits, as its worker would: a node that holds a task
  // and misses a heartbeat window is reported for downtime.
  const keepComputeOnline = () => beatIfDue(api, provider, compute.node, compute.operator);
  const taskReaches = (id, status) => waitFor(`task ${id} to be ${status}`, 180_000, async () => {
    await keepComputeOnline();
    await keepSilentOnline();
    const task = await provider.send('vcity_task', [id]);
    return task.status === status ? task : null;
  });
  const settled = await taskReaches(honest, 'settled');
  const paid1 = BigInt(settled.paid);
  check(true, `the verifiers' answers matched: task ${honest} settled as soon as the audit ended (paid ${paid1})`);
  const judged = log.events.filter((e) => e.method === 'VerifierJudged' && e.data.job.toNumber() === audit);
  const standing = (node) => judged.find((e) => e.data.verifier.toNumber() === node)?.data.standing.toString();
  check(standing(answering1.node) === 'Agreed' && standing(answering2.node) === 'Agreed', 'both answering verifiers agreed');
  check(standing(silent.node) === 'Absent', 'the silent verifier is absent');
  const ownersAfter = await Promise.all([answering1, answering2].map((v) => usdv(api, v.owner.address)));
  check(ownersAfter.every((after, i) => after === ownersBefore[i] + reward), `each answering verifier's owner was paid ${reward}`);
  const silentCase = await waitFor('the silent verifier\'s case', 30_000, async () => (await api.query.slashing.caseOfNode(silent.node)).toJSON());
  check(silentCase !== null, `the silent verifier is reported: case ${silentCase}`);

  console.log('3. the same node signs a wrong result by hand; its buyer disputes; the audit catches it');
  const userMid = await usdv(api, user.address);
  const cheat = await runTask(12, () => u8aToHex(new Uint8Array(32).fill(0xee)));
  await submit(api, api.tx.computeMarket.disputeTask(cheat), user);
  check((await usdv(api, user.address)) < userMid, 'the dispute deposit is held');
  await taskReaches(cheat, 'refunded');
  check((await usdv(api, user.address)) === userMid, 'the buyer has the whole escrow and the deposit back');
  const info = await provider.send('vcity_nodeInfo', [`did:vcity:${compute.node}`]);
  check(info.status === 'suspended', 'the cheating node is suspended at once');
  const concluded = log.events.find((e) => e.method === 'AuditConcluded' && e.data.task.toNumber() === cheat);
  check(concluded?.data.verdict.toString() === 'Failed', 'the audit\'s verdict: a false result');

  console.log('4. the case\'s window ends: the whole stake is slashed and the node banned');
  const stake = BigInt((await provider.send('vcity_nodeInfo', [`did:vcity:${compute.node}`])).stake ?? 0);
  // The false result's case: the one its report opened or joined.
  const falseResult = log.events.find(
    (e) => e.method === 'OffenceReported' && e.data.node.toNumber() === compute.node && e.data.offence.toString() === 'FalseResult',
  );
  check(falseResult !== undefined, `the false result is reported: case ${falseResult?.data.case}`);
  const executed = await waitFor('the slash', 240_000, async () => log.events.find(
    (e) => e.method === 'SlashExecuted' && e.data.case.toString() === falseResult.data.case.toString(),
  ));
  const outcome = executed.data.outcome.toJSON().executed;
  const parts = BigInt(outcome.compensated) + BigInt(outcome.toReporters) + BigInt(outcome.toTreasury);
  check(BigInt(outcome.slashed) === parts, `the slash (${outcome.slashed}) went whole to the buyer, the reporters and the treasury`);
  check(stake === 0n || BigInt(outcome.slashed) === stake, 'all of the stake');
  check(outcome.banned === true, 'and the node is banned');
  check((await provider.send('vcity_nodeInfo', [`did:vcity:${compute.node}`])).status === 'banned', 'banned on chain');

  console.log('5. balances add up to the unit');
  const userAfter = await usdv(api, user.address);
  check(userAfter === userBefore - paid1 - deposit, `the buyer paid the first task (${paid1}) and one deposit, nothing else`);
  // The fee the settlement paid in: 2% of the task's payment. (So small a payment's node and
  // protocol parts are dust no account here can take: they stay with the buyer, and the paid
  // amount is the fee alone.)
  const settledEvent = log.events.find((e) => e.method === 'TaskSettled' && e.data.task.toNumber() === honest);
  const fee = settledEvent.data.verificationFee.toBigInt();
  const rewardsPaid = log.events
    .filter((e) => e.method === 'VerifierJudged' && ![challenge, servedJob].includes(e.data.job.toNumber()))
    .reduce((sum, e) => sum + e.data.paid.toBigInt(), 0n);
  // The false result's verifiers are paid as its reporters, out of the slash: the refunded task
  // brought no fee.
  check(rewardsPaid === 2n * reward, `two answers paid in USDV (${rewardsPaid})`);
  const potAfter = await usdv(api, pot);
  check(
    potAfter === potBefore + fee + deposit - rewardsPaid,
    `the fees' account: ${potBefore} + fee ${fee} + deposit ${deposit} - rewards ${rewardsPaid} = ${potAfter}`,
  );

  for (const v of verifiers) await submit(api, api.tx.verification.leavePool(v.node), v.owner);
  await log.stop();
}, { cleanup: async () => stopAgent(agent) });
