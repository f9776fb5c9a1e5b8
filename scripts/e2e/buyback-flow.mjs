// The value loop on a running Vcity node: a user pays for a task in USDV, its protocol fee
// reaches the buyback treasury, the next day's round sells it for VCAI on the AMM pool within
// the bound of the pool's average price, and a veVCAI locker claims that VCAI. On the way a user
// swaps on the pool and an account that holds only USDV pays its transaction fee in USDV.
// Rounds come once a day, so the loop runs where days are short (`--chain dev-fast`: a minute);
// on a chain of 24-hour days it stops after the fee reaches the treasury.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/buyback-flow.mjs
import { mnemonicGenerate } from '@polkadot/util-crypto';
import {
  beatIfDue, check, FLOW_REGION, freeVcai, freshAccounts, onlineNode, ownerFunds, palletAccount, runFlow, sleep,
  until, USDV, USDV_ID, usdv, VCAI, waitForDay, waitForNoOtherScheduler,
} from '../lib/flow.mjs';
import { dayLengthMs, submit } from '../lib/vcity.mjs';

const H100 = { model: 'NVIDIA H100 80GB HBM3', count: 8, vramPerGpuGib: 80 };
const ONE_H100 = { ...H100, count: 1 };
const PRICE = 2n * USDV;
const MAX_PRICE = 3n * USDV;
const USDV_KIND = { WithId: USDV_ID };
const WAITABLE_DAY_MS = 120_000n;

runFlow('buyback', async ({ api, provider, keyring }) => {
  const [nodeOwner, schedulerOwner, user, locker] = await freshAccounts(
    api,
    keyring.addFromUri('//Bob'),
    await ownerFunds(api, H100),
    await ownerFunds(api, ONE_H100),
    { vcai: 10n * VCAI, usdv: 50n * USDV },
    { vcai: 1_010n * VCAI },
  );
  const treasury = palletAccount(api.consts.buyback.palletId);
  const minBalance = (await api.query.assets.asset(USDV_ID)).unwrap().minBalance.toBigInt();
  const dayMs = await dayLengthMs(api);
  const params = await provider.send('vcity_buybackParams', []);
  console.log(`   rounds every ${params.intervalDays} day(s) of ${dayMs / 1000n} s, within ${params.maxSlippagePerbill / 10_000_000}% of a ${params.twapWindow}-block average`);

  console.log('1. the AMM pool trades: the user sells 10 USDV for VCAI');
  const reserves = await api.call.assetConversionApi.getReserves(USDV_KIND, 'Native');
  check(reserves.isSome, 'the dev preset seeded a VCAI/USDV pool');
  const quote = (await api.call.assetConversionApi.quotePriceExactTokensForTokens(USDV_KIND, 'Native', 10n * USDV, true)).unwrap().toBigInt();
  const vcaiBefore = await freeVcai(api, user.address);
  await submit(api, api.tx.assetConversion.swapExactTokensForTokens([USDV_KIND, 'Native'], 10n * USDV, quote * 99n / 100n, user.address, true), user);
  const gained = (await freeVcai(api, user.address)) - vcaiBefore;
  check(gained > quote * 98n / 100n, `the user got ~${gained / VCAI} VCAI for 10 USDV (quoted ${quote / VCAI}; the fee is paid from it)`);

  console.log('2. an account holding only USDV pays its transaction fee in USDV');
  const holder = keyring.addFromUri(mnemonicGenerate());
  await submit(api, api.tx.assets.transferKeepAlive(USDV_ID, holder.address, 20n * USDV), user);
  check((await freeVcai(api, holder.address)) === 0n, 'the new account has no VCAI');
  const { events: feeEvents } = await submit(api, api.tx.assets.transferKeepAlive(USDV_ID, user.address, 5n * USDV), holder, { assetId: USDV_KIND });
  const feePaid = feeEvents.find((e) => api.events.assetTxPayment.AssetTxFeePaid.is(e));
  check(feePaid !== undefined, 'AssetTxFeePaid: the fee was taken in USDV and swapped on the pool');
  const left = await usdv(api, holder.address);
  check(left < 15n * USDV && left > 14n * USDV, `it holds ${Number(left) / 1e6} USDV: 15 less a fee of ${Number(15n * USDV - left) / 1e6} USDV`);

  console.log('3. a new locker locks 1,000 VCAI, so the next days\' drops are (mostly) theirs');
  const head = (await api.rpc.chain.getHeader()).hash;
  const now = (await api.query.timestamp.now.at(head)).toBigInt();
  await submit(api, api.tx.veVcai.createLock(1_000n * VCAI, now + 30n * dayMs), locker);

  console.log('4. a task paid in USDV settles; its protocol fee reaches the buyback treasury');
  const region = { region: FLOW_REGION.buyback };
  const compute = await onlineNode(api, nodeOwner, H100, { compute: true, verifier: false, scheduler: false }, PRICE, region);
  const scheduler = await onlineNode(api, schedulerOwner, ONE_H100, { compute: false, verifier: false, scheduler: true }, PRICE, region);
  // Its scheduler assigns by hand: no other scheduler's worker may take the task first.
  await waitForNoOtherScheduler(provider);
  const revenueBefore = BigInt((await provider.send('vcity_buybackTreasury', [])).revenue);
  const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 2_000;
  const requirements = { gpus: 4, minVramPerGpuGib: 80, minGpuClass: 'Datacenter', minStage: 1, placement: 'Anywhere' };
  const workload = { Builtin: { MatrixProduct: { seed: 7, size: 256, rounds: 2 } } };
  const { events } = await submit(api, api.tx.computeMarket.submitTask(requirements, 3600, deadline, MAX_PRICE, workload, 'PerTask'), user);
  const task = events.find((e) => api.events.computeMarket.TaskSubmitted.is(e)).data.task.toNumber();
  // Heartbeat windows are 30 s on dev-fast: the nodes beat again when a new one begins.
  const online = async () => {
    await beatIfDue(api, provider, scheduler.node, scheduler.operator);
    await beatIfDue(api, provider, compute.node, compute.operator);
  };
  await online();
  await submit(api, api.tx.computeMarket.assignTasks([[task, compute.node]]), scheduler.operator);
  await online();
  await submit(api, api.tx.computeMarket.acknowledgeTask(task), compute.operator);
  await online();
  await submit(api, api.tx.computeMarket.startTask(task), compute.operator);
  // The task holds its GPUs for a minute: a task is billed for the time it ran, no more.
  await sleep(60_000);
  await online();
  await submit(api, api.tx.computeMarket.completeTask(task, `0x${'7c'.repeat(32)}`, 4 * 3600), compute.operator);
  const { blockHash, events: settledEvents } = await submit(api, api.tx.computeMarket.rateTask(task, 5), user);
  const settled = settledEvents.find((e) => api.events.computeMarket.TaskSettled.is(e)).data;
  const fee = settled.protocolRevenue.toBigInt();
  const paid = fee + settled.nodeShare.toBigInt() + settled.schedulerFee.toBigInt() + settled.verificationFee.toBigInt();
  // The scheduler's 1% of so small a payment is below USDV's minimum balance, which its owner
  // does not hold: that part falls to the protocol too.
  check(
    settled.nodeShare.toBigInt() === (paid * 85n) / 100n &&
      fee >= paid - (paid * 85n) / 100n - paid / 100n - (paid * 2n) / 100n,
    `the node got 85% of the ${Number(paid) / 1e6} USDV paid for the minute, the protocol ${Number(fee) / 1e6} USDV`,
  );
  const booked = await provider.send('vcity_buybackTreasury', [blockHash.toHex()]);
  check(BigInt(booked.revenue) - revenueBefore === fee, `vcity_buybackTreasury: revenue +${Number(fee) / 1e6} USDV`);
  check(BigInt(booked.usdvHeld) >= fee, `the treasury holds ${Number(BigInt(booked.usdvHeld)) / 1e6} USDV`);
  const feeDay = (await provider.send('vcity_veTotals', [blockHash.toHex()])).day;
  check(BigInt(await provider.send('vcity_revenueOn', [feeDay])) >= fee, `vcity_revenueOn(${feeDay}) counts it`);

  if (dayMs > WAITABLE_DAY_MS) {
    console.log('   days last 24 h on this runtime: the round, the drop and the claim are left to the runtime tests');
    return;
  }

  console.log('5. the next day\'s round sells it for VCAI on the pool, within the bound of the average');
  // Every round's outcome is an event: keep them, so a round that does not come says why.
  const outcomes = [];
  const unsubscribe = await api.query.system.events((records) => {
    for (const { event } of records) {
      if (event.section === 'buyback') outcomes.push(`${event.method} ${JSON.stringify(event.data.toHuman())}`);
    }
  });
  let round;
  try {
    // Usually the next day's. But a fee paid in the first block stamped with a new day is that
    // day's revenue, and the day's round runs in the next block (hooks see the previous
    // block's time): then the round of the fee's own day sells it.
    const feeBlock = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
    round = await until('a round after the fee', Number(dayMs) * 3, async () => {
      const last = await provider.send('vcity_lastBuyback', []);
      const after = last !== null && (last.day > feeDay || (last.day === feeDay && last.block > feeBlock));
      return after ? last : null;
    });
  } catch (e) {
    console.error(`   buyback events since the fee: ${outcomes.join('; ') || 'none'}`);
    console.error(`   treasury: ${JSON.stringify(await provider.send('vcity_buybackTreasury', []))}`);
    throw e;
  } finally {
    unsubscribe();
  }
  const [usdvIn, vcaiOut, twap, minOut] = [round.usdvIn, round.vcaiOut, round.twap, round.minOut].map(BigInt);
  check(usdvIn >= fee - minBalance, `day ${round.day}: sold ${Number(usdvIn) / 1e6} USDV for ${Number(vcaiOut / 10n ** 14n) / 1e4} VCAI`);
  check(vcaiOut >= minOut, `at least the minimum ${Number(minOut / 10n ** 14n) / 1e4} VCAI`);
  const bound = (usdvIn * twap * (1_000_000_000n - BigInt(params.maxSlippagePerbill))) / USDV / 1_000_000_000n;
  check(vcaiOut >= bound, `paid within ${params.maxSlippagePerbill / 10_000_000}% of the average price (${BigInt(round.price) / VCAI} VCAI per USDV vs ${twap / VCAI})`);
  const books = await provider.send('vcity_buybackTreasury', []);
  check(BigInt(books.vcaiDropped) === BigInt(books.vcaiBought), 'every VCAI bought went to the distributor');
  check(BigInt(books.revenue) + BigInt(books.otherIncome) === BigInt(books.usdvSwapped) + (await usdv(api, treasury)), 'USDV recorded = USDV sold + USDV held');

  console.log('6. when that day closes, the locker claims its share of the drop');
  await waitForDay(provider, round.day + 1, dayMs);
  const weight = BigInt((await provider.send('vcity_veWeightAt', [locker.address, round.day])) ?? '0');
  const total = BigInt((await provider.send('vcity_veTotalWeightAt', [round.day])) ?? '0');
  check(weight > 0n && total >= weight, `the locker holds ${(Number((weight * 10_000n) / total) / 100).toFixed(2)}% of day ${round.day}'s weight`);
  const share = (vcaiOut * weight) / total;
  const pending = await until('the drop to be shared', Number(dayMs), async () => {
    const value = BigInt(await provider.send('vcity_vePendingRewards', [locker.address]));
    return value >= share - 1n ? value : null;
  });
  const { events: claimEvents } = await submit(api, api.tx.veVcai.claim(), locker);
  const claimed = claimEvents.find((e) => api.events.veVcai.Claimed.is(e)).data.amount.toBigInt();
  // A claim a few blocks after the read may include a day closed in between: at least.
  check(claimed >= pending && claimed >= share - 1n, `the locker claimed ${Number(claimed / 10n ** 14n) / 1e4} VCAI of the buyback`);
});
