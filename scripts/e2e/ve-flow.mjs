// The token holder's journey with veVCAI on a running Vcity node: lock VCAI, read the weight and
// its snapshot over the vcity_ve* RPC, see bad locks refused, drop VCAI into the distributor and,
// where days are short enough to wait for (`--chain dev-fast`: a day is a minute), see the weight
// decay day by day, claim the drop and withdraw the lock when it ends. On a chain of 24-hour
// days the same-day part runs and the rest is left to the runtime tests. The checks that the
// whole drop and the whole snapshot are the locker's need a distributor nobody else uses (as the
// e2e test's own chain is): where other locks or drops share it, they are left out.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/ve-flow.mjs
import { check, freeVcai as free, freshAccounts, refused, runFlow, VCAI, waitForDay } from '../lib/flow.mjs';
import { dayLengthMs, submit } from '../lib/vcity.mjs';

const LOCKED = 1_000n * VCAI;
const DROP = 10n * VCAI;
/// Days this e2e can wait through: a few minutes of `dev-fast` days.
const WAITABLE_DAY_MS = 120_000n;

function isqrt(n) {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

async function totals(provider) {
  return provider.send('vcity_veTotals', []);
}

/**
 * Whether the distributor is this flow's alone, read before its lock: no lock holds weight, no
 * drop waits to be shared, and the buyback treasury holds no USDV a round would sell and drop.
 */
async function distributorUnused(provider) {
  const now = await totals(provider);
  const treasury = await provider.send('vcity_buybackTreasury', []);
  return BigInt(now.weight) === 0n && BigInt(now.pendingDrop) === 0n && BigInt(treasury.usdvAvailable) === 0n;
}

runFlow('ve', async ({ api, provider, keyring }) => {
  const [locker, dropper] = await freshAccounts(
    api,
    keyring.addFromUri('//Alice'),
    { vcai: LOCKED + 10n * VCAI },
    { vcai: DROP + 10n * VCAI },
  );
  const alone = await distributorUnused(provider);
  const dayMs = await dayLengthMs(api);
  const waitable = dayMs <= WAITABLE_DAY_MS;
  // Four days where days are short: shortening the lock can be refused as such (rather than as
  // ending too soon) until the unlock is two days off, so the check below has the lock's day and
  // the next one to run in, however slowly a loaded machine includes the calls before it.
  const days = waitable ? 4 : 30;

  console.log(`1. a new locker locks 1,000 VCAI for ${days} days (a day is ${dayMs / 1000n} s on this runtime)`);
  // Time and day read at one block, so the unlock time names the day we expect.
  const head = (await api.rpc.chain.getHeader()).hash;
  const now = (await api.query.timestamp.now.at(head)).toBigInt();
  const lockedOn = (await provider.send('vcity_veTotals', [head.toHex()])).day;
  const freeBefore = await free(api, locker.address);
  await submit(api, api.tx.veVcai.createLock(LOCKED, now + BigInt(days) * dayMs), locker);
  const lock = await provider.send('vcity_veLock', [locker.address]);
  const slope = isqrt(LOCKED * 1_000_000n);
  check(BigInt(lock.amount) === LOCKED && BigInt(lock.slope) === slope, `vcity_veLock: 1,000 VCAI, slope ${slope}`);
  const today = (await totals(provider)).day;
  check(lock.unlockDay === lockedOn + days, `unlocks on day ${lockedOn + days}`);
  check(BigInt(lock.weight) === slope * BigInt(lock.unlockDay - today), 'weight = slope × days left');
  const account = (await api.query.system.account(locker.address)).data;
  check(account.reserved.toBigInt() >= LOCKED, 'the VCAI is held, not spendable');
  check(freeBefore - (await free(api, locker.address)) >= LOCKED, 'free balance fell by the lock and the fee');
  if (today === lockedOn) {
    check((await provider.send('vcity_veWeightAt', [locker.address, today])) === '0', 'today\'s snapshot does not see a lock made today');
  }

  console.log('2. bad locks are refused');
  await refused(submit(api, api.tx.veVcai.extendUnlock(now + BigInt(days - 1) * dayMs), locker), 'veVcai.CannotShorten');
  await refused(submit(api, api.tx.veVcai.createLock(LOCKED, now + 5n * dayMs), locker), 'veVcai.LockExists');
  await refused(submit(api, api.tx.veVcai.withdraw(), locker), 'veVcai.LockNotExpired');
  await refused(submit(api, api.tx.veVcai.createLock(0, now + 5n * dayMs), dropper), 'veVcai.ZeroAmount');
  await refused(submit(api, api.tx.veVcai.createLock(VCAI, now + 1_500n * dayMs), dropper), 'veVcai.UnlockTooFar');

  console.log('3. another new account drops 10 VCAI into the distributor');
  const before = await totals(provider);
  await submit(api, api.tx.veVcai.dropRewards(DROP), dropper);
  const after = await totals(provider);
  check(BigInt(after.pendingDrop) - BigInt(before.pendingDrop) === DROP || after.day !== before.day, 'vcity_veTotals: 10 VCAI pending');
  check(BigInt(after.locked) >= LOCKED, 'vcity_veTotals counts the lock');

  if (!waitable) {
    console.log('   days last 24 h on this runtime: decay, claims and withdrawal are left to the runtime tests');
    return;
  }
  if (!alone) console.log('   other locks or drops share the distributor: the checks of the whole drop and snapshot are left out');

  console.log('4. the weight decays by its slope each day');
  const next = await waitForDay(provider, lockedOn + 1, dayMs);
  const snapshot = BigInt(await provider.send('vcity_veWeightAt', [locker.address, lockedOn + 1]));
  check(snapshot === slope * BigInt(days - 1), `day ${lockedOn + 1}: weight ${snapshot} = slope × ${days - 1}`);
  if (alone) check(BigInt(next.snapshotWeight) === snapshot || next.day > lockedOn + 1, 'the total is the only locker\'s weight');

  if (alone) {
    console.log('5. the drop, carried past the lock day (no weight yet), is the locker\'s when the next day closes');
    await waitForDay(provider, lockedOn + 2, dayMs);
    // The first block of a day still runs its hook with the previous block's time, so the day
    // before is closed by the next block (or by the day's first call): poll a few blocks.
    let pending = 0n;
    for (let tries = 0; pending === 0n && tries < 15; tries += 1) {
      pending = BigInt(await provider.send('vcity_vePendingRewards', [locker.address]));
      if (pending === 0n) await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    check(pending <= DROP && pending + 1n >= DROP, `vcity_vePendingRewards: ${pending} (the whole drop, rounded down)`);
    const beforeClaim = await free(api, locker.address);
    const { events } = await submit(api, api.tx.veVcai.claim(), locker);
    const claimed = events.find((e) => api.events.veVcai.Claimed.is(e)).data.amount.toBigInt();
    check(claimed === pending, `claimed ${claimed}`);
    check((await free(api, locker.address)) > beforeClaim, 'the claim reached the locker\'s free balance (net of the fee)');
    await refused(submit(api, api.tx.veVcai.claim(), locker), 'veVcai.NothingToClaim');
  }

  console.log('6. on the unlock day the weight is zero and the lock comes back');
  await waitForDay(provider, lockedOn + days, dayMs);
  check((await provider.send('vcity_veWeight', [locker.address])) === '0', 'weight zero on the unlock day');
  await submit(api, api.tx.veVcai.withdraw(), locker);
  check((await provider.send('vcity_veLock', [locker.address])) === null, 'the lock is gone');
  check((await api.query.system.account(locker.address)).data.reserved.toBigInt() === account.reserved.toBigInt() - LOCKED, 'the hold is released');
});
