// Slashing on a running Vcity node: two GPU nodes of two owners each acknowledge and start a
// user's task and deliver nothing, so each task's deadline passes and the market reports a
// failed delivery; the offence and the pending case it opens show over RPC (vcity_offences,
// vcity_pendingSlashes); both owners appeal; root upholds one appeal (the case is cancelled, the
// deposit returned) and rejects the other (the deposit goes to the DAO treasury); the rejected
// case executes at the end of its pending window, and the balances add up to the unit: the node's
// stake falls by the slash, the user whose task was hit gets its compensation, the treasury the
// rest, and nothing is minted or burnt. A slash pends fifteen blocks on `--chain dev-fast`; where
// it pends a week (`--dev`) the flow stops once the appeals are decided.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/slashing-flow.mjs
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import {
  beatIfDue, check, FLOW_REGION, freshAccounts, onlineNode, ownerFunds, refused, runFlow, sleep, USDV, usdv, VCAI,
  waitForNoOtherScheduler,
} from '../lib/flow.mjs';
import { dispatchErrorName, submit } from '../lib/vcity.mjs';

const H100 = { model: 'NVIDIA H100 80GB HBM3', count: 8, vramPerGpuGib: 80 };
const ONE_H100 = { ...H100, count: 1 };
const PRICE = 2n * USDV; // per GPU-hour
// A short task whose escrow still reaches the market's 0.1 USDV minimum: 4 GPUs × 12 s at up to
// 10 USDV an hour puts up 0.133334 USDV.
const GPUS = 4;
const SECONDS = 12;
const MAX_PRICE = 10n * USDV;
const USER_USDV = 5n * USDV;
// Blocks between the head the deadline is counted from and the scheduler's assignment: the
// submission's block, a round of heartbeats and the assignment's own. The market only assigns a
// task a node taking it now could still deliver by its deadline.
const DEADLINE_SLACK = 6;
// Longest pending window the flow waits out (in blocks); a week's (`--dev`) is left to the
// runtime tests.
const WAITABLE_DEFERRAL = 100;
const PERBILL = 1_000_000_000n;
const U128_MAX = 2n ** 128n - 1n;

const vcai = (amount) => (Number(amount / 10n ** 14n) / 1e4).toFixed(4);
const sameAccount = (a, b) => u8aToHex(decodeAddress(a)) === u8aToHex(decodeAddress(b));

/**
 * Dispatches `call` as root through the sudo key; throws if the inner call failed (the sudo
 * extrinsic itself succeeds either way and reports the call's result in `Sudid`).
 */
async function asRoot(api, sudoKey, call) {
  const result = await submit(api, api.tx.sudo.sudo(call), sudoKey);
  const sudid = result.events.find((e) => api.events.sudo.Sudid.is(e));
  if (sudid === undefined) throw new Error('the sudo call emitted no Sudid');
  if (sudid.data.sudoResult.isErr) {
    throw new Error(`the root call failed: ${dispatchErrorName(api, sudid.data.sudoResult.asErr)}`);
  }
  return result;
}

/** Every pending case of the network at block `at`, paging through vcity_pendingSlashes. */
async function pendingCases(provider, at) {
  const cases = [];
  let cursor = null;
  let total;
  do {
    const page = await provider.send('vcity_pendingSlashes', [cursor, 500, at]);
    cases.push(...page.cases);
    total = page.total;
    cursor = page.nextCursor ?? null;
  } while (cursor !== null);
  if (cases.length !== total) throw new Error(`vcity_pendingSlashes paged ${cases.length} cases of a total of ${total}`);
  return cases;
}

/** VCAI the account holds for appeal deposits at block `hash`. */
async function appealDepositHeld(api, hash, who) {
  const holds = await api.query.balances.holds.at(hash, who);
  return holds
    .filter((h) => h.id.isSlashing && h.id.asSlashing.isAppealDeposit)
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
}

/**
 * What else reached the DAO treasury in block `hash` besides case `ours` (its slash and its
 * appeal's deposit): the fees of the block's transactions, which go to the treasury whole
 * (`ResolveTo<TreasuryAccount>` in runtime/src/configs/mod.rs; free heartbeats pay none), the dust
 * of accounts reaped, and other cases' slashes. Throws on income it cannot value, a fee paid in
 * USDV (swapped to VCAI on the pool) or another case's rejected appeal, which this flow's own
 * chain never has.
 */
async function otherTreasuryIncome(api, hash, ours) {
  let income = 0n;
  for (const { event } of await api.query.system.events.at(hash)) {
    if (api.events.transactionPayment.TransactionFeePaid.is(event)) {
      income += event.data.actualFee.toBigInt();
    } else if (api.events.balances.DustLost.is(event)) {
      income += event.data.amount.toBigInt();
    } else if (api.events.slashing.SlashExecuted.is(event) && event.data.case.toNumber() !== ours) {
      const outcome = event.data.outcome;
      if (outcome.isExecuted) income += outcome.asExecuted.toTreasury.toBigInt();
    } else if (
      api.events.assetTxPayment.AssetTxFeePaid.is(event)
      || (api.events.slashing.AppealRejected.is(event) && event.data.case.toNumber() !== ours)
    ) {
      throw new Error(`block ${hash.toHex()} pays the treasury what this flow cannot value: ${event.section}.${event.method}`);
    }
  }
  return income;
}

/**
 * The VCAI one whole USDV was worth to the slashing pallet in block `hash`: the buyback's average
 * over its longest window (`VcaiPrice` in pallets/buyback/src/oracle.rs), from the oracle as the
 * block left it. The oracle samples once, in the buyback's `on_initialize`, which runs before the
 * slashing pallet's, so this is the average an execution in that block used. `null` while the
 * window is not yet full of samples.
 */
async function vcaiPerUsdvAt(api, hash) {
  const window = api.consts.buyback.maxTwapWindow.toNumber();
  const length = window + 1;
  const oracle = await api.query.buyback.oracle.at(hash);
  if (window === 0 || oracle.historyLen.toNumber() !== length || oracle.samples.toNumber() <= window) return null;
  const from = Math.max(oracle.lastBlock.toNumber() - window, 0) % length;
  const before = (await api.query.buyback.priceHistory.at(hash, from)).toBigInt();
  // The running sum may wrap; only differences of it are used.
  const sum = BigInt.asUintN(256, oracle.cumulative.toBigInt() - before);
  const price = sum / BigInt(window);
  return price > U128_MAX ? U128_MAX : price;
}

runFlow('slashing', async ({ api, provider, keyring }) => {
  const params = await api.query.slashing.params();
  const deposit = params.appealDeposit.toBigInt();
  const deferral = params.deferral.toNumber();
  // A node's first slash takes the low end of its tier's range.
  const fraction = params.moderate.first.toNumber();
  const blockMs = api.consts.computeMarket.blockTimeMs.toNumber();
  // The DAO treasury, where the slash's rest and rejected appeals' deposits go, as the pallet
  // publishes it.
  const treasury = api.consts.slashing.treasury;
  const sudoKey = keyring.addFromUri('//Alice');
  const sudo = await api.query.sudo.key();
  if (sudo.isNone || !sameAccount(sudo.unwrap().toString(), sudoKey.address)) {
    throw new Error('this chain has no sudo key of //Alice, so no root to decide appeals');
  }
  console.log(`   slashes pend ${deferral} blocks; an appeal holds ${vcai(deposit)} VCAI; a first moderate offence takes ${fraction / 1e7}% of the stake`);

  // The owners hold the appeal deposit besides the stake, and fees for the appeal.
  const nodeOwnerFunds = { vcai: (await ownerFunds(api, H100)).vcai + deposit + 10n * VCAI };
  const [ownerA, ownerB, schedulerOwner, user] = await freshAccounts(
    api,
    keyring.addFromUri('//Dave'),
    nodeOwnerFunds,
    nodeOwnerFunds,
    await ownerFunds(api, ONE_H100),
    { vcai: 10n * VCAI, usdv: USER_USDV },
  );
  const issuanceAtStart = (await api.query.balances.totalIssuance()).toBigInt();

  console.log('1. two data-centre nodes (8 × H100) of two owners and a scheduler node come online');
  const region = { region: FLOW_REGION.slashing };
  const computeRoles = { compute: true, verifier: false, scheduler: false };
  const [nodeA, nodeB, scheduler] = await Promise.all([
    onlineNode(api, ownerA, H100, computeRoles, PRICE, region),
    onlineNode(api, ownerB, H100, computeRoles, PRICE, region),
    onlineNode(api, schedulerOwner, ONE_H100, { compute: false, verifier: false, scheduler: true }, PRICE, region),
  ]);
  const a = { ...nodeA, owner: ownerA };
  const b = { ...nodeB, owner: ownerB };
  const nodes = [a, b];
  const stakeAt = async (node, hash) => BigInt((await provider.send('vcity_nodeInfo', [`did:vcity:${node}`, hash.toHex()])).stake);
  const freeAt = async (hash, who) => (await api.query.system.account.at(hash, who)).data.free.toBigInt();
  const parentOf = async (hash) => (await api.rpc.chain.getHeader(hash)).parentHash;
  const bestHash = async () => (await api.rpc.chain.getHeader()).hash;
  for (const n of nodes) n.stake = await stakeAt(n.node, await bestHash());
  console.log(`   compute nodes ${a.node} and ${b.node} (${vcai(a.stake)} VCAI staked each), scheduler node ${scheduler.node}`);
  // Every node beats once a heartbeat window while the flow waits: a node that stops beating
  // with a task it acknowledged commits unannounced downtime, and the only offence here is to be
  // the failed delivery. Never called while an operator's own transaction is in flight (one
  // nonce per key).
  const online = () => Promise.all([a, b, scheduler].map((n) => beatIfDue(api, provider, n.node, n.operator)));
  // Its scheduler assigns by hand: no other scheduler's worker may take the tasks first.
  await waitForNoOtherScheduler(provider);

  console.log('2. the user submits a task for each node; each node acknowledges and starts its task, then delivers nothing');
  const market = (await api.query.computeMarket.params()).unwrap();
  const toDeliver = market.ackWindow.toNumber() + Math.ceil((SECONDS * 1000) / blockMs);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  // A deadline the nodes could have met: a missed one is their failure only if, when it passes,
  // the task's seconds and a start window's grace have run since it started (a deadline no node
  // could meet is no offence, docs/slashing.md#what-the-market-reports). Room to assign too.
  const deadline = head + toDeliver + market.startWindow.toNumber() + DEADLINE_SLACK;
  const requirements = {
    gpus: GPUS, minVramPerGpuGib: 80, minGpuClass: 'Datacenter', minStage: 1, placement: { InRegion: FLOW_REGION.slashing },
  };
  const submitTask = (seed) => api.tx.computeMarket.submitTask(
    requirements, SECONDS, deadline, MAX_PRICE, { Builtin: { MatrixProduct: { seed, size: 256, rounds: 2 } } }, 'PerTask',
  );
  // The user's last transaction: from here on it signs nothing, so what its VCAI does is the
  // chain's doing.
  const { events: submitted } = await submit(api, api.tx.utility.batchAll([submitTask(21), submitTask(22)]), user);
  const tasks = submitted.filter((e) => api.events.computeMarket.TaskSubmitted.is(e)).map((e) => e.data);
  check(tasks.length === 2, `tasks ${tasks.map((t) => t.task.toNumber()).join(' and ')} submitted, deadline block ${deadline}`);
  nodes.forEach((n, i) => {
    n.task = tasks[i].task.toNumber();
    n.escrow = tasks[i].escrow.toBigInt();
    // What the task would have paid at the node's price: the user's claim on the slash (the
    // escrow is at the user's own maximum price, so it is no measure of what a failure cost).
    const agreed = PRICE * BigInt(GPUS) * BigInt(SECONDS);
    n.claim = [(agreed + 3599n) / 3600n, n.escrow].reduce((a, b) => (a < b ? a : b));
  });
  await online();
  const { events: assigned } = await submit(api, api.tx.computeMarket.assignTasks(nodes.map((n) => [n.task, n.node])), scheduler.operator);
  for (const n of nodes) {
    const rejection = assigned.find((e) => api.events.computeMarket.AssignmentRejected.is(e) && e.data.task.toNumber() === n.task);
    check(
      assigned.some((e) => api.events.computeMarket.TaskAssigned.is(e) && e.data.task.toNumber() === n.task && e.data.node.toNumber() === n.node),
      `the scheduler assigned task ${n.task} to node ${n.node}${rejection ? ` (refused: ${rejection.data.reason.toString()})` : ''}`,
    );
  }
  await online();
  await Promise.all(nodes.map((n) => submit(api, api.tx.computeMarket.acknowledgeTask(n.task), n.operator)));
  await Promise.all(nodes.map((n) => submit(api, api.tx.computeMarket.startTask(n.task), n.operator)));
  for (const n of nodes) {
    check((await provider.send('vcity_task', [n.task])).status === 'running', `task ${n.task} is running on node ${n.node}`);
  }

  console.log(`   the nodes keep beating and deliver nothing; the tasks expire after block ${deadline}`);
  const expiresBy = Date.now() + (deadline - head + 20) * blockMs + 60_000;
  for (;;) {
    const states = await Promise.all(nodes.map((n) => provider.send('vcity_task', [n.task])));
    if (states.every((t) => t.status === 'refunded')) break;
    if (Date.now() > expiresBy) throw new Error(`the tasks never ended (${states.map((t) => t.status).join(', ')})`);
    await online();
    await sleep(2_000);
  }
  for (const n of nodes) {
    const info = await provider.send('vcity_task', [n.task]);
    const state = (await api.query.computeMarket.tasks(n.task)).unwrap().state;
    check(state.isRefunded && state.asRefunded.reason.type === 'Expired', `task ${n.task} expired undelivered`);
    check(BigInt(info.refunded) === n.escrow && BigInt(info.paid) === 0n, `its whole escrow of ${Number(n.escrow) / 1e6} USDV went back, nothing paid`);
  }
  check((await usdv(api, user.address)) === USER_USDV, 'the user holds all its USDV again');

  console.log('3. each failed delivery is an offence over vcity_offences and opens a pending case');
  const opened = await bestHash();
  const listed = await pendingCases(provider, opened.toHex());
  const maxPerBlock = api.consts.slashing.maxExecutionsPerBlock.toNumber();
  for (const n of nodes) {
    const offences = await provider.send('vcity_offences', [n.node, opened.toHex()]);
    const record = offences.offences.find((o) => o.offence === 'failedDelivery' && o.evidence.task === n.task);
    check(record !== undefined && record.at > deadline, `node ${n.node}: failedDelivery of task ${n.task}, reported in block ${record?.at}`);
    check(offences.offences.length === 1, 'its only offence: it kept beating, so no downtime');
    check(offences.pending !== null, 'it has a pending case');
    const { pending } = offences;
    const { id } = pending;
    n.case = id;
    n.executeAt = pending.executeAt;
    check(record.case === id && pending.node === n.node && pending.openedAt === record.at, `the offence opened case ${id}`);
    check(
      pending.offences.length === 1 && pending.offences[0][0] === 'failedDelivery' && pending.offences[0][1].task === n.task && pending.offenceCount === 1,
      'which holds that one offence',
    );
    check(pending.tier === 'moderate' && pending.fraction === fraction, `tier moderate, ${fraction / 1e7}% of the stake`);
    check(
      pending.victims.length === 1 && sameAccount(pending.victims[0].who, user.address) && BigInt(pending.victims[0].payment) === n.claim,
      `its victim is the user, whose task would have paid ${Number(n.claim) / 1e6} USDV at the node's price`,
    );
    check(pending.reporters.length === 0 && pending.appeal === 'none' && !pending.suspended, 'no reporter (the chain saw it), not appealed, the node not suspended');
    check(BigInt(pending.stakeAtOpen) === n.stake, `at risk: the ${vcai(n.stake)} VCAI staked when it opened`);
    // Each block executes a bounded number of cases; with no more pending than that, every
    // block has room and the case is due exactly a pending window after it opened.
    if (listed.length <= maxPerBlock) {
      check(pending.executeAt === pending.openedAt + deferral, `it executes at block ${pending.executeAt}, ${deferral} blocks after it opened`);
    } else {
      check(pending.executeAt >= pending.openedAt + deferral, `it executes at block ${pending.executeAt}, ${deferral} blocks or more after it opened`);
    }
    check(offences.history.length === 0, 'the node has no closed case yet');
    const page = listed.find((c) => c.id === id);
    check(page !== undefined && JSON.stringify(page) === JSON.stringify(pending), 'vcity_pendingSlashes lists the same case');
    check((await stakeAt(n.node, opened)) === n.stake, 'the stake is untouched while the case pends');
  }

  console.log('4. both owners appeal, each holding the deposit; a second appeal, a stranger\'s, and an early execution are refused');
  await online();
  const appeals = await Promise.all(nodes.map((n) => submit(api, api.tx.slashing.appeal(n.case), n.owner)));
  for (const [i, n] of nodes.entries()) {
    const appealed = appeals[i].events.find((e) => api.events.slashing.Appealed.is(e));
    check(appealed?.data.deposit.toBigInt() === deposit, `node ${n.node}'s owner appealed case ${n.case}`);
    check((await appealDepositHeld(api, appeals[i].blockHash, n.owner.address)) === deposit, `${vcai(deposit)} VCAI held from them`);
    const { pending } = await provider.send('vcity_offences', [n.node, appeals[i].blockHash.toHex()]);
    check(
      sameAccount(pending.appeal.pending.appellant, n.owner.address) && BigInt(pending.appeal.pending.deposit) === deposit,
      'the case shows the appeal pending',
    );
  }
  // The scheduler node's owner owns neither node: a stranger to both cases.
  await Promise.all([
    refused(submit(api, api.tx.slashing.appeal(a.case), a.owner), 'slashing.AlreadyAppealed'),
    refused(submit(api, api.tx.slashing.appeal(b.case), schedulerOwner), 'slashing.NotNodeOwner'),
    refused(submit(api, api.tx.slashing.executeSlash(b.case), b.owner), 'slashing.NotDue'),
  ]);

  console.log(`5. root upholds node ${a.node}'s appeal: its case is cancelled, the deposit returned`);
  await online();
  // Node A's owner signs nothing more, so its balance moves only by the decision.
  const upheld = await asRoot(api, sudoKey, api.tx.slashing.decideAppeal(a.case, true));
  check(upheld.events.some((e) => api.events.slashing.AppealUpheld.is(e) && e.data.case.toNumber() === a.case), `AppealUpheld(${a.case})`);
  const atUpheld = upheld.blockHash;
  const beforeUpheld = await parentOf(atUpheld);
  check(
    (await freeAt(atUpheld, a.owner.address)) - (await freeAt(beforeUpheld, a.owner.address)) === deposit
      && (await appealDepositHeld(api, atUpheld, a.owner.address)) === 0n,
    `the owner's ${vcai(deposit)} VCAI are free again`,
  );
  check((await stakeAt(a.node, atUpheld)) === a.stake, `node ${a.node} keeps its whole stake`);
  const afterUpheld = await provider.send('vcity_offences', [a.node, atUpheld.toHex()]);
  const stillListed = (await pendingCases(provider, atUpheld.toHex())).some((c) => c.id === a.case);
  check(afterUpheld.pending === null && !stillListed, `case ${a.case} is no longer pending`);
  const historyA = (await provider.send('vcity_nodeInfo', [`did:vcity:${a.node}`, atUpheld.toHex()])).slashHistory;
  const cancelled = historyA.at(-1);
  check(
    historyA.length === 1 && cancelled.case === a.case && cancelled.outcome === 'cancelled' && cancelled.tier === 'moderate' && cancelled.offences === 1,
    'vcity_nodeInfo shows it cancelled in the node\'s slash history',
  );
  check(JSON.stringify(afterUpheld.history) === JSON.stringify(historyA), 'as vcity_offences does');

  console.log(`6. root rejects node ${b.node}'s appeal: the deposit goes to the DAO treasury and the slash stands`);
  await online();
  // Node B's owner signs nothing more either.
  const rejected = await asRoot(api, sudoKey, api.tx.slashing.decideAppeal(b.case, false));
  check(rejected.events.some((e) => api.events.slashing.AppealRejected.is(e) && e.data.case.toNumber() === b.case), `AppealRejected(${b.case})`);
  const atRejected = rejected.blockHash;
  const beforeRejected = await parentOf(atRejected);
  check(
    (await freeAt(atRejected, b.owner.address)) === (await freeAt(beforeRejected, b.owner.address))
      && (await appealDepositHeld(api, atRejected, b.owner.address)) === 0n,
    'the owner\'s deposit is no longer held, and none of it came back',
  );
  // Decided after its pending window ended (a slow run), the case executes in the decision.
  const executedAtOnce = rejected.events.find((e) => api.events.slashing.SlashExecuted.is(e) && e.data.case.toNumber() === b.case);
  const slashedToTreasury = executedAtOnce ? executedAtOnce.data.outcome.asExecuted.toTreasury.toBigInt() : 0n;
  const treasuryGain = (await freeAt(atRejected, treasury)) - (await freeAt(beforeRejected, treasury));
  const besides = await otherTreasuryIncome(api, atRejected, b.case);
  check(
    treasuryGain === deposit + slashedToTreasury + besides,
    `the DAO treasury received the ${vcai(deposit)} VCAI deposit (its whole gain in that block: ${vcai(treasuryGain)} VCAI, ${vcai(besides)} of it the block's fees)`,
  );
  if (!executedAtOnce) {
    const { pending } = await provider.send('vcity_offences', [b.node, atRejected.toHex()]);
    check(pending.appeal === 'rejected' && pending.executeAt === b.executeAt, `case ${b.case} still pends, rejected, due at block ${b.executeAt}`);
    check((await stakeAt(b.node, atRejected)) === b.stake, 'the stake is still whole until then');
  }

  if (deferral > WAITABLE_DEFERRAL) {
    console.log(`   a slash pends ${deferral} blocks on this runtime: its execution is left to the runtime tests`);
    return;
  }

  console.log(`7. the case executes at the end of its pending window (block ${b.executeAt}): the slash is taken and divided`);
  // The user signed nothing since its tasks: from the block before the rejection on, every
  // change to its VCAI is the chain's.
  const userBefore = await freeAt(beforeRejected, user.address);
  const executesBy = Date.now() + (b.executeAt - head + 10) * blockMs + 60_000;
  let offencesB;
  for (;;) {
    offencesB = await provider.send('vcity_offences', [b.node]);
    if (offencesB.pending === null) break;
    if (Date.now() > executesBy) throw new Error(`case ${b.case} still pending (due at block ${b.executeAt})`);
    await online();
    await sleep(2_000);
  }
  const record = offencesB.history.find((r) => r.case === b.case);
  check(record?.outcome?.executed !== undefined, `case ${b.case} executed in block ${record?.closedAt}`);
  if (!executedAtOnce) check(record.closedAt === b.executeAt, 'its due block, by the block hook');
  const outcome = record.outcome.executed;
  const [slashed, compensated, toReporters, toTreasury] = [outcome.slashed, outcome.compensated, outcome.toReporters, outcome.toTreasury].map(BigInt);
  const historyB = (await provider.send('vcity_nodeInfo', [`did:vcity:${b.node}`])).slashHistory;
  check(JSON.stringify(historyB.at(-1)) === JSON.stringify(record), 'vcity_nodeInfo shows the same record in the node\'s slash history');

  // Everything at the block that executed it and the block before: what moved, moved then.
  const atExecuted = await api.rpc.chain.getBlockHash(record.closedAt);
  const beforeExecuted = await api.rpc.chain.getBlockHash(record.closedAt - 1);
  check(slashed === (b.stake * BigInt(fraction)) / PERBILL, `slashed ${vcai(slashed)} VCAI: ${fraction / 1e7}% of the ${vcai(b.stake)} VCAI at risk`);
  check(
    (await stakeAt(b.node, beforeExecuted)) === b.stake && (await stakeAt(b.node, atExecuted)) === b.stake - slashed,
    `node ${b.node}'s stake fell by exactly that, to ${vcai(b.stake - slashed)} VCAI`,
  );
  const events = (await api.query.system.events.at(atExecuted)).map(({ event }) => event);
  const moved = events
    .filter((e) => api.events.computeRegistry.NodeSlashed.is(e) && e.data.node.toNumber() === b.node)
    .reduce((sum, e) => sum + e.data.amount.toBigInt(), 0n);
  check(moved === slashed, 'moved out of its stake hold by the registry (NodeSlashed)');
  check(
    slashed === compensated + toReporters + toTreasury,
    `divided whole: ${vcai(compensated)} to the user + ${vcai(toReporters)} to reporters + ${vcai(toTreasury)} to the treasury`,
  );
  check(toReporters === 0n && outcome.banned === false, 'nothing to reporters (there were none), and a moderate case bans no one');
  // The user is made whole up to what it had put up, valued at the buyback's average price.
  const price = await vcaiPerUsdvAt(api, atExecuted);
  check(price !== null, `VCAI had an average price then: ${vcai(price ?? 0n)} VCAI per USDV`);
  const worth = (b.claim * price) / USDV;
  const owed = worth < slashed ? worth : slashed;
  check(compensated > 0n && compensated === owed, `the user was owed ${vcai(owed)} VCAI: its ${Number(b.claim) / 1e6} USDV at that price, within the slash`);
  const paid = events.find((e) => api.events.slashing.Compensated.is(e) && e.data.case.toNumber() === b.case);
  check(
    paid !== undefined && sameAccount(paid.data.who.toString(), user.address) && paid.data.amount.toBigInt() === compensated,
    'Compensated names the user and the amount',
  );
  check((await freeAt(atExecuted, user.address)) - userBefore === compensated, 'the user\'s free VCAI rose by exactly that');
  const treasuryGainAtExecution = (await freeAt(atExecuted, treasury)) - (await freeAt(beforeExecuted, treasury));
  const otherIncome = await otherTreasuryIncome(api, atExecuted, b.case);
  const depositToo = atExecuted.eq(atRejected) ? deposit : 0n;
  check(
    treasuryGainAtExecution === toTreasury + depositToo + otherIncome,
    `the DAO treasury received the rest, ${vcai(toTreasury)} VCAI${otherIncome > 0n ? ` (and ${vcai(otherIncome)} of fees)` : ''}`,
  );
  const issuanceAfter = (await api.query.balances.totalIssuance.at(atExecuted)).toBigInt();
  check(
    (await api.query.balances.totalIssuance.at(beforeExecuted)).toBigInt() === issuanceAfter,
    'the slash minted and burnt nothing: total issuance is unchanged across its block',
  );
  // Fees and dust go to the treasury too, so not one unit of VCAI appeared or vanished in the
  // whole flow.
  check(issuanceAfter === issuanceAtStart, `nor across the whole flow: ${vcai(issuanceAfter)} VCAI`);
  check((await stakeAt(a.node, atExecuted)) === a.stake, `node ${a.node}, whose appeal was upheld, still has its whole stake`);
});
