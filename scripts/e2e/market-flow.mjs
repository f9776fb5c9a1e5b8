// The user's journey through the compute market on a running Vcity node: a GPU node and a
// scheduler node come online, a user quotes and submits a task paid in USDV, the scheduler
// node's offchain worker assigns it (its operator key goes into the node's keystore), the node
// acknowledges, runs and delivers it, the user rates it, and the balances show the split (node
// 85% at Bronze, scheduler 1%, the buyback treasury the rest) and the refund. Both nodes leave
// at the end, so the scheduler's worker does not keep matching the chain's tasks for a heartbeat
// window (a later flow would wait for it) and no idle node of this run is left for the next run.
// On the way three attacks are replayed on the real node (docs/economics.md#self-dealing): a
// node raising its price onto a task it sees waiting is refused that task, the scheduler
// assigning a task to a node of its own owner is refused, and a task completed at once by a node
// its buyer controls bills only the seconds it held the GPUs and earns nothing.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/market-flow.mjs
import {
  check, FLOW_REGION, freshAccounts, insertOperatorKey, onlineNode, ownerFunds, palletAccount, refused, runFlow, sleep,
  USDV, USDV_ID, usdv, VCAI, waitForNoOtherScheduler, waitForTask,
} from '../lib/flow.mjs';
import { submit } from '../lib/vcity.mjs';

const H100 = { model: 'NVIDIA H100 80GB HBM3', count: 8, vramPerGpuGib: 80 };
const ONE_H100 = { ...H100, count: 1 };
const PRICE = 2n * USDV; // per GPU-hour
const MAX_PRICE = 3n * USDV;

async function heldUsdv(api, address) {
  const held = await api.query.assetsHolder.balancesOnHold(USDV_ID, address);
  return held.isSome ? held.unwrap().toBigInt() : 0n;
}

runFlow('market', async ({ api, provider, keyring }) => {
  // The buyback treasury, where protocol fees go: the account of the buyback's PalletId.
  const treasury = palletAccount(api.consts.buyback.palletId);
  const [nodeOwner, schedulerOwner, user] = await freshAccounts(
    api,
    keyring.addFromUri('//Charlie'),
    // The owners hold a USDV, so even a share below USDV's minimum balance reaches them.
    { ...(await ownerFunds(api, H100)), usdv: USDV },
    { ...(await ownerFunds(api, ONE_H100)), usdv: USDV },
    { vcai: 10n * VCAI, usdv: 40n * USDV },
  );
  const onlineHere = (owner, gpu, roles) => onlineNode(api, owner, gpu, roles, PRICE, { region: FLOW_REGION.market });

  console.log('1. a data-centre node (8 × H100) and a scheduler node come online');
  const compute = await onlineHere(nodeOwner, H100, { compute: true, verifier: false, scheduler: false });
  const scheduler = await onlineHere(schedulerOwner, ONE_H100, { compute: false, verifier: false, scheduler: true });
  console.log(`   compute node ${compute.node}, scheduler node ${scheduler.node}`);

  console.log('2. the user asks vcity_quote for 4 data-centre GPUs near eu-central for one hour');
  const requirements = { gpus: 4, minVramPerGpuGib: 80, minGpuClass: 'datacenter', minStage: 1, region: 'eu-central', maxRoundTripMs: 50 };
  const quote = await provider.send('vcity_quote', [requirements, 3600, MAX_PRICE.toString()]);
  check(quote.candidates.some((c) => c.node === compute.node), `the quote lists node ${compute.node}`);
  check(quote.candidates.every((c) => c.gpuClass === 'datacenter' && c.freeGpus >= 4), 'every candidate meets the requirements');
  const escrow = 4n * MAX_PRICE;
  const MIN_ESCROW = USDV / 10n;

  await waitForNoOtherScheduler(provider, [scheduler.node]);
  const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 2_000;
  const onChainRequirements = {
    gpus: 4, minVramPerGpuGib: 80, minGpuClass: 'Datacenter', minStage: 1,
    placement: { Near: { region: 'eu-central', maxRoundTripMs: 50 } },
  };
  const workload = { Builtin: { MatrixProduct: { seed: 42, size: 256, rounds: 2 } } };
  const submitted = (events) => events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();

  console.log('2b. the node raises its price onto a task it sees waiting: a scheduler\'s pick of it is refused');
  const heldBefore = await heldUsdv(api, user.address);
  const waiting = submitted((await submit(
    api,
    api.tx.computeMarket.submitTask(onChainRequirements, 3600, deadline, MAX_PRICE, workload, 'PerTask'),
    user,
  )).events);
  await submit(api, api.tx.computeRegistry.updatePrice(compute.node, MAX_PRICE), nodeOwner);
  const raised = await submit(api, api.tx.computeMarket.assignTasks([[waiting, compute.node]]), scheduler.operator);
  const raisedRejected = raised.events.find((e) => api.events.computeMarket.AssignmentRejected.is(e));
  check(
    raisedRejected?.data.reason.toString() === 'PriceRaisedSinceQueued',
    `AssignmentRejected(${raisedRejected?.data.reason.toString()}): only a price the node had before the task was queued`,
  );
  // Lowering the price back does not make it one the node had before: the task stays out of
  // its reach; its owner cancels it, refunded in full.
  await submit(api, api.tx.computeRegistry.updatePrice(compute.node, PRICE), nodeOwner);
  await submit(api, api.tx.computeMarket.cancelTask(waiting), user);
  check((await heldUsdv(api, user.address)) === heldBefore, 'the waiting task is cancelled and nothing stays held');

  console.log('3. the user submits the task; its maximum cost is held from their USDV');
  const before = {
    user: await usdv(api, user.address),
    node: await usdv(api, nodeOwner.address),
    scheduler: await usdv(api, schedulerOwner.address),
    treasury: await usdv(api, treasury),
    held: await heldUsdv(api, user.address),
  };
  const task = submitted((await submit(
    api,
    api.tx.computeMarket.submitTask(onChainRequirements, 3600, deadline, MAX_PRICE, workload, 'PerTask'),
    user,
  )).events);
  check((await heldUsdv(api, user.address)) - before.held === escrow, `12 USDV held for task ${task}`);
  check((await provider.send('vcity_task', [task])).status === 'queued', 'vcity_task says queued');

  console.log('3b. the scheduler picking its own owner\'s node (itself) is refused');
  const own = await submit(api, api.tx.computeMarket.assignTasks([[task, scheduler.node]]), scheduler.operator);
  const ownRejected = own.events.find((e) => api.events.computeMarket.AssignmentRejected.is(e));
  check(ownRejected?.data.reason.toString() === 'OwnNode', `AssignmentRejected(${ownRejected?.data.reason.toString()})`);
  check((await provider.send('vcity_task', [task])).status === 'queued', 'the task is still queued');

  console.log('3c. a farmer\'s second account buys a task from the farmer\'s node and it completes at once');
  const completedBefore = (await provider.send('vcity_nodeInfo', [`did:vcity:${compute.node}`])).tasksCompleted;
  // The farmer owns both sides: the user account and the node's owner.
  const farmerBefore = (await usdv(api, user.address)) + (await usdv(api, nodeOwner.address));
  const { events: farmEvents } = await submit(
    api,
    api.tx.computeMarket.submitTask(onChainRequirements, 3600, deadline, MAX_PRICE, workload, 'PerTask'),
    user,
  );
  const farmed = farmEvents.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();
  await submit(api, api.tx.computeMarket.assignDirectly(farmed, compute.node), user);
  await submit(api, api.tx.computeMarket.acknowledgeTask(farmed), compute.operator);
  await submit(api, api.tx.computeMarket.startTask(farmed), compute.operator);
  const { events: farmDelivered } = await submit(api, api.tx.computeMarket.completeTask(farmed, `0x${'66'.repeat(32)}`, 0), compute.operator);
  const billed = farmDelivered.find((e) => api.events.computeMarket.TaskDelivered.is(e)).data.billedGpuSeconds.toNumber();
  const { events: farmSettled } = await submit(api, api.tx.computeMarket.rateTask(farmed, 5), user);
  const farmSplit = farmSettled.find((e) => api.events.computeMarket.TaskSettled.is(e)).data;
  const farm = await provider.send('vcity_task', [farmed]);
  check(billed <= 4 * 30, `billed ${billed} GPU-seconds, the seconds it held 4 GPUs, not the 14,400 of its size`);
  check(BigInt(farm.paid) < MIN_ESCROW && BigInt(farm.paid) + BigInt(farm.refunded) === escrow, `paid ${Number(BigInt(farm.paid)) / 1e6} USDV, the rest of the 12 USDV refunded`);
  // What the farmed task paid: the node's 85%, the verifiers' 2% and the protocol's 13% (a part
  // below USDV's minimum balance on an account holding none yet stays with the user).
  const farmPaid = BigInt(farm.paid);
  const farmNode = farmSplit.nodeShare.toBigInt();
  const farmVerification = farmSplit.verificationFee.toBigInt();
  const farmProtocol = farmSplit.protocolRevenue.toBigInt();
  check(
    farmNode + farmVerification + farmProtocol === farmPaid,
    `of it ${Number(farmNode) / 1e6} USDV to the node, ${Number(farmVerification) / 1e6} to the verifiers, ${Number(farmProtocol) / 1e6} to the treasury`,
  );
  const farmerAfter = (await usdv(api, user.address)) + (await usdv(api, nodeOwner.address));
  const farmCost = farmProtocol + farmVerification;
  check(farmerAfter === farmerBefore - farmCost, `the farmer's two accounts end ${Number(farmCost) / 1e6} USDV poorer, with nothing earned`);
  const completedAfter = (await provider.send('vcity_nodeInfo', [`did:vcity:${compute.node}`])).tasksCompleted;
  check(completedAfter === completedBefore, 'below the 0.1 USDV a task must pay, it lifts no reputation');
  const points = await api.query.rewards.nodePoints.entries(compute.node);
  check(points.every(([, p]) => p.isNone || p.unwrap().delivery.toBigInt() === 0n), 'and earns no Proof-of-Delivery points');

  console.log("4. the scheduler node's offchain worker matches it and submits the assignment");
  await insertOperatorKey(provider, scheduler.operator, scheduler.suri);
  const assigned = await waitForTask(provider, task, (t) => t.status !== 'queued', 60_000, 'assigned');
  check(assigned.node === compute.node, `task ${task} assigned to node ${compute.node}`);
  check(assigned.scheduler === scheduler.node, `by scheduler node ${scheduler.node}`);

  console.log('5. the node acknowledges, starts, runs a minute and delivers a result digest');
  const digest = `0x${'5a'.repeat(32)}`;
  await submit(api, api.tx.computeMarket.acknowledgeTask(task), compute.operator);
  await submit(api, api.tx.computeMarket.startTask(task), compute.operator);
  await sleep(60_000);
  await submit(api, api.tx.computeMarket.completeTask(task, digest, 4 * 3600), compute.operator);
  const delivered = await provider.send('vcity_task', [task]);
  check(delivered.status === 'delivered' && delivered.result === digest, 'delivered with the digest');

  console.log('6. the user rates it 5 stars, which accepts the result and settles at once');
  await submit(api, api.tx.computeMarket.rateTask(task, 5), user);
  const settled = await provider.send('vcity_task', [task]);
  check(settled.status === 'settled', 'vcity_task says settled');
  // Billed for the minute or so it ran: 4 GPUs × its seconds × 2 USDV an hour, rounded up.
  const cost = BigInt(settled.paid);
  check(cost >= MIN_ESCROW && cost < USDV / 2n, `paid ${Number(cost) / 1e6} USDV for about a minute of 4 H100`);
  check(BigInt(settled.refunded) === escrow - cost, `refunded the other ${Number(escrow - cost) / 1e6} USDV`);
  // A market refusal names its reason, decoded from the error the call failed with.
  await refused(submit(api, api.tx.computeMarket.cancelTask(task), user), 'computeMarket.Rejected(TaskNotQueued)');

  const after = {
    user: await usdv(api, user.address),
    node: await usdv(api, nodeOwner.address),
    scheduler: await usdv(api, schedulerOwner.address),
    treasury: await usdv(api, treasury),
    held: await heldUsdv(api, user.address),
  };
  const nodeShare = (cost * 85n) / 100n;
  const schedulerFee = cost / 100n;
  const verificationFee = (cost * 2n) / 100n;
  // Both tasks since the balances were read: the farmed one (no scheduler) and this one.
  check(before.user - after.user === cost + farmPaid, 'the user paid exactly the two costs');
  check(after.held === before.held, 'nothing is left held for the tasks');
  check(after.node - before.node === nodeShare + farmNode, 'the node owner received 85% (Bronze) of each');
  check(after.scheduler - before.scheduler === schedulerFee, 'the scheduler owner received 1% of the task it assigned');
  check(
    after.treasury - before.treasury === cost - nodeShare - schedulerFee - verificationFee + farmProtocol,
    'the buyback treasury received the rest: 12% of the task a scheduler assigned (after the verifiers\' 2%), and its part of the other',
  );

  const stats = await provider.send('vcity_marketStats', []);
  check(BigInt(stats.volume) >= cost && stats.settled >= 1, `vcity_marketStats counts the settlement (volume ${stats.volume})`);
  const ownTasks = await provider.send('vcity_tasksOfOwner', [user.address]);
  check(ownTasks.tasks.some((t) => t.id === task), 'vcity_tasksOfOwner lists the task');

  console.log('7. both nodes leave; the scheduler\'s worker stops matching');
  await submit(api, api.tx.computeRegistry.deregister(scheduler.node), schedulerOwner);
  await submit(api, api.tx.computeRegistry.deregister(compute.node), nodeOwner);
  for (const node of [scheduler.node, compute.node]) {
    const gone = await provider.send('vcity_nodeInfo', [`did:vcity:${node}`]);
    check(gone.status === 'unbonding', `node ${node} is unbonding`);
  }
});
