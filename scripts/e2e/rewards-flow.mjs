// The incentive pool on a running Vcity node: a GPU node beats and delivers a task, a user pays
// for it, the period closes and releases its part of the 2,000,000,000 VCAI, and the node's owner
// and the user claim their shares. Periods last a week on `--dev`, a minute on
// `--chain dev-fast`; on a week-long period the flow stops once the points are accruing.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/rewards-flow.mjs
import {
  beatIfDue, check, FLOW_REGION, freeVcai, freshAccounts, onlineNode, ownerFunds, refused, runFlow, sleep, USDV,
  VCAI, waitForNoOtherScheduler,
} from '../lib/flow.mjs';
import { submit } from '../lib/vcity.mjs';

const H100 = { model: 'NVIDIA H100 80GB HBM3', count: 8, vramPerGpuGib: 80 };
const ONE_H100 = { ...H100, count: 1 };
const PRICE = 2n * USDV;
const POOL = 2_000_000_000n * VCAI;
const WAITABLE_PERIOD_MS = 180_000n;
const BILLION = 1_000_000_000n;

const vcai = (amount) => (Number(amount / 10n ** 14n) / 1e4).toFixed(4);

runFlow('rewards', async ({ api, provider, keyring }) => {
  const [owner, schedulerOwner, user] = await freshAccounts(
    api,
    keyring.addFromUri('//Bob'),
    await ownerFunds(api, H100),
    await ownerFunds(api, ONE_H100),
    { vcai: 10n * VCAI, usdv: 20n * USDV },
  );

  console.log('1. the pool: released + left = 2,000,000,000 VCAI');
  const overview = await provider.send('vcity_rewardsOverview', []);
  check(BigInt(overview.released) + BigInt(overview.poolLeft) === POOL, `released ${vcai(BigInt(overview.released))} VCAI, ${vcai(BigInt(overview.poolLeft))} left`);
  const periodMs = (await api.query.chainClock.periods()).current.lengthMs.toBigInt();
  console.log(`   periods of ${periodMs / 1000n} s; P_supply ${Number(overview.supplySharePerbill) / 1e7}%`);

  console.log('2. a node comes online, beats and delivers a task a user pays for in USDV');
  const region = { region: FLOW_REGION.rewards };
  const compute = await onlineNode(api, owner, H100, { compute: true, verifier: false, scheduler: false }, PRICE, region);
  const scheduler = await onlineNode(api, schedulerOwner, ONE_H100, { compute: false, verifier: false, scheduler: true }, PRICE, region);
  // Its scheduler assigns by hand: no other scheduler's worker may take the task first.
  await waitForNoOtherScheduler(provider);
  const online = async () => {
    await beatIfDue(api, provider, scheduler.node, scheduler.operator);
    await beatIfDue(api, provider, compute.node, compute.operator);
  };
  const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 2_000;
  const requirements = { gpus: 4, minVramPerGpuGib: 80, minGpuClass: 'Datacenter', minStage: 1, placement: 'Anywhere' };
  const workload = { Builtin: { MatrixProduct: { seed: 11, size: 256, rounds: 2 } } };
  const { events } = await submit(api, api.tx.computeMarket.submitTask(requirements, 3600, deadline, 3n * USDV, workload, 'PerTask'), user);
  const task = events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();
  await online();
  await submit(api, api.tx.computeMarket.assignTasks([[task, compute.node]]), scheduler.operator);
  await online();
  await submit(api, api.tx.computeMarket.acknowledgeTask(task), compute.operator);
  await submit(api, api.tx.computeMarket.startTask(task), compute.operator);
  // A task is billed for the time it held its GPUs: a minute of 4 H100 at 2 USDV an hour is
  // 0.13 USDV, above the 0.1 USDV a task must pay to earn points and rebates.
  await sleep(60_000);
  await online();
  await submit(api, api.tx.computeMarket.completeTask(task, `0x${'5a'.repeat(32)}`, 4 * 3600), compute.operator);
  const { blockHash } = await submit(api, api.tx.computeMarket.rateTask(task, 5), user);
  const period = (await provider.send('vcity_rewardsOverview', [blockHash.toHex()])).currentPeriod;
  console.log(`   task ${task} settled in period ${period}`);
  // A period a few ahead: the settlement's own may close while this transaction waits.
  await refused(
    submit(api, api.tx.rewards.claimNodeRewards(compute.node, [period + 5]), owner),
    'rewards.PeriodNotEnded',
  );
  await refused(submit(api, api.tx.rewards.claimNodeRewards(compute.node, [period]), user), 'rewards.NotNodeOwner');

  if (periodMs > WAITABLE_PERIOD_MS) {
    console.log('   periods last a week on this runtime: the close and the claims are left to the runtime tests');
    return;
  }

  console.log(`3. period ${period} closes: its release is shared by points and spend`);
  let record = null;
  const until = Date.now() + Number(periodMs) * 3 + 60_000;
  while (record === null) {
    if (Date.now() > until) throw new Error(`period ${period} never closed`);
    await online();
    await sleep(3_000);
    record = await provider.send('vcity_rewardPeriod', [period]);
  }
  const released = BigInt(record.released);
  check(released > 0n, `period ${period} released ${vcai(released)} VCAI`);
  const pots = [record.capacityPot, record.deliveryPot, record.demandPot, record.carriedOut].map(BigInt);
  check(
    pots.reduce((a, b) => a + b, 0n) === released - BigInt(record.toGrants) + BigInt(record.carriedIn),
    `pots ${pots.slice(0, 3).map(vcai).join(' / ')} VCAI (capacity / delivery / demand) + carry = incentives`,
  );
  check(BigInt(record.deliveryPoints) > 0n && BigInt(record.spend) > 0n, 'the task earned delivery points and counts as spend');
  const history = await provider.send('vcity_supplyShareHistory', [period, 2]);
  const [closed, next] = history;
  if (closed.utilizationPerbill !== null) {
    const share = BigInt(closed.supplySharePerbill);
    const u = BigInt(closed.utilizationPerbill);
    const step = (u >= 800_000_000n ? u - 800_000_000n : 800_000_000n - u) / 10n;
    let expected = u >= 800_000_000n ? share + step : share - step;
    expected = expected < 0n ? 0n : expected > BILLION ? BILLION : expected;
    check(BigInt(next.supplySharePerbill) === expected, `P_supply ${Number(share) / 1e7}% → ${Number(expected) / 1e7}% at U = ${Number(u) / 1e7}%`);
  }

  console.log('4. the node\'s owner and the user claim; a second claim is refused');
  const pending = await provider.send('vcity_pendingNodeRewards', [compute.node]);
  const mine = pending.periods.find((p) => p.period === period);
  check(mine !== undefined, `node ${compute.node} has points in period ${period}`);
  // Its share of the delivery pot: the only delivery of the period is this task, unless other
  // flows settled tasks in it too.
  check(BigInt(mine.amount) > 0n || BigInt(record.deliveryPot) === 0n, `it is owed ${vcai(BigInt(mine.amount))} VCAI for it`);
  const claimable = pending.periods.map((p) => p.period);
  const before = await freeVcai(api, owner.address);
  const { events: claimEvents } = await submit(api, api.tx.rewards.claimNodeRewards(compute.node, claimable), owner);
  const claimed = claimEvents.find((e) => api.events.rewards.NodeRewardsClaimed.is(e)).data.amount.toBigInt();
  check(claimed === BigInt(pending.total), `the owner claimed ${vcai(claimed)} VCAI over ${claimable.length} period(s)`);
  check((await freeVcai(api, owner.address)) > before + claimed - VCAI / 100n, 'and holds it, less the fee');
  await refused(submit(api, api.tx.rewards.claimNodeRewards(compute.node, [period]), owner), 'rewards.NothingToClaim');

  const rebates = await provider.send('vcity_pendingRebates', [user.address]);
  const rebate = rebates.periods.find((p) => p.period === period);
  check(rebate !== undefined, `the user has a rebate for period ${period}`);
  console.log(`   they spent ${Number(BigInt(rebate.points)) / 1e6} USDV of the period's ${Number(BigInt(record.spend)) / 1e6}`);
  // Its share of the demand pot by spend, at most 30% of the worth of the protocol fee it paid at
  // the period's price: a rebate can never return the fee (docs/economics.md#self-dealing).
  const share = (BigInt(record.demandPot) * BigInt(rebate.points)) / BigInt(record.spend);
  const fee = (await api.query.computeMarket.feesPaid(period, user.address)).toBigInt();
  const cap = (((fee * BigInt(record.vcaiPerUsdv)) / USDV) * BigInt(record.rebatePerFeePerbill)) / BILLION;
  const expected = share < cap ? share : cap;
  check(fee > 0n && BigInt(record.vcaiPerUsdv) > 0n, `the user paid ${Number(fee) / 1e6} USDV of fee at ${vcai(BigInt(record.vcaiPerUsdv))} VCAI per USDV`);
  check(BigInt(rebate.amount) === expected, `its rebate is ${vcai(expected)} VCAI: its share of the demand pot (${vcai(share)}), capped at 30% of its fee's worth (${vcai(cap)})`);
  const { events: rebateEvents } = await submit(api, api.tx.rewards.claimRebates([period]), user);
  const paid = rebateEvents.find((e) => api.events.rewards.RebatesClaimed.is(e)).data.amount.toBigInt();
  check(paid === expected, `the user claimed ${vcai(paid)} VCAI`);
  await refused(submit(api, api.tx.rewards.claimRebates([period]), user), 'rewards.AlreadyClaimed');

  const after = await provider.send('vcity_rewardsOverview', []);
  check(BigInt(after.released) + BigInt(after.poolLeft) === POOL, 'the pool and the releases still add up to 2,000,000,000 VCAI');
});
