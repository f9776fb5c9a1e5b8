// The DAO on a running Vcity node, as its members use it through polkadot.js: the chain gives up
// sudo, two members lock VCAI, a parameter proposal goes through the parameters track with its
// preimage and passes on veVCAI weight against a smaller nay, and is enacted; a strategic
// issuance within quota mints under vesting and one over the 5% cap is refused; the root track
// authorizes a runtime upgrade on the chain that no longer has sudo. Referenda take a few blocks
// only where their periods are short (`--chain dev-fast`), and the quota needs the protocol
// revenue the buyback flow leaves, so it runs after that flow on its node.
//
//   VCITY_WS=ws://127.0.0.1:9944 node e2e/dao-flow.mjs
import { stringToU8a } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { check, freeVcai, freshAccounts, runFlow, until, VCAI } from '../lib/flow.mjs';
import { dayLengthMs, dispatchErrorName, submit } from '../lib/vcity.mjs';

/**
 * `who` notes the call's preimage, submits a referendum on the track of `origin` and places its
 * decision deposit. Returns the referendum's index.
 */
async function propose(api, who, origin, call) {
  const encoded = call.method.toHex();
  const hash = blake2AsHex(encoded);
  const length = (encoded.length - 2) / 2;
  const { events } = await submit(api, api.tx.utility.batchAll([
    api.tx.preimage.notePreimage(encoded),
    api.tx.referenda.submit(origin, { Lookup: { hash, len: length } }, { After: 0 }),
  ]), who);
  const submitted = events.find((e) => api.events.referenda.Submitted.is(e));
  const index = submitted.data.index.toNumber();
  await submit(api, api.tx.referenda.placeDecisionDeposit(index), who);
  return index;
}

/** Waits for the referendum's decision; returns `approved` or `rejected`. */
async function decided(api, index) {
  return until(`referendum ${index} decided`, 180_000, async () => {
    const info = (await api.query.referenda.referendumInfoFor(index)).unwrap();
    if (info.isApproved) return 'approved';
    if (info.isRejected || info.isTimedOut || info.isCancelled || info.isKilled) return info.type.toLowerCase();
    return undefined;
  });
}

/** The name `pallet-referenda` schedules a referendum's enactment under. */
function enactmentTaskName(api, index) {
  const name = api.createType('([u8;8], Text, u32)', [stringToU8a('assembly'), 'enactment', index]);
  return blake2AsHex(name.toU8a(), 256);
}

/**
 * Watches every block's events for the scheduler's dispatches; `result(index)` waits for the
 * enactment of referendum `index` and gives `ok` or the error it failed with.
 */
async function watchEnactments(api) {
  const results = new Map();
  const unsubscribe = await api.query.system.events((events) => {
    for (const { event } of events) {
      if (!api.events.scheduler.Dispatched.is(event) || event.data.id.isNone) continue;
      const outcome = event.data.result.isOk ? 'ok' : dispatchErrorName(api, event.data.result.asErr);
      results.set(event.data.id.unwrap().toHex(), outcome);
    }
  });
  const result = (index) => until(`referendum ${index} enacted`, 120_000, async () => results.get(enactmentTaskName(api, index)));
  return { result, unsubscribe };
}

runFlow('dao', async ({ api, provider, keyring }) => {
  const alice = keyring.addFromUri('//Alice');
  // The first member also proposes: 40,000 VCAI to lock, and deposits besides.
  const [big, small] = await freshAccounts(
    api,
    keyring.addFromUri('//Eve'),
    { vcai: 42_000n * VCAI },
    { vcai: 10_100n * VCAI },
  );
  const proposer = big;
  const partner = keyring.addFromUri('//Vcity//partner');

  console.log('1. the chain gives up sudo: from here on only referenda dispatch as root');
  await submit(api, api.tx.sudo.removeKey(), alice);
  check((await api.query.sudo.key()).isNone, 'sudo has no key');

  console.log('2. two members lock VCAI: 40,000 and 10,000, so the first weighs twice the second');
  const dayMs = await dayLengthMs(api);
  const enactments = await watchEnactments(api);
  const head = (await api.rpc.chain.getHeader()).hash;
  const now = (await api.query.timestamp.now.at(head)).toBigInt();
  await submit(api, api.tx.veVcai.createLock(40_000n * VCAI, now + 200n * dayMs), big);
  await submit(api, api.tx.veVcai.createLock(10_000n * VCAI, now + 200n * dayMs), small);
  const lockedOn = (await provider.send('vcity_veTotals', [])).day;
  await until('the next day, whose snapshot holds the locks', 180_000, async () =>
    (await provider.send('vcity_veTotals', [])).day > lockedOn);

  console.log('3. a parameter proposal with its preimage: the period length becomes two days');
  const periodBefore = (await api.query.chainClock.periods()).toJSON();
  const setPeriod = api.tx.chainClock.setPeriodLength(2n * dayMs);
  const parameters = await propose(api, proposer, { Governance: 'Parameters' }, setPeriod);
  await submit(api, api.tx.veVoting.vote(parameters, 'Aye'), big);
  await submit(api, api.tx.veVoting.vote(parameters, 'Nay'), small);
  const live = await provider.send('vcity_referendum', [parameters]);
  check(live.trackName === 'parameters', `referendum ${parameters} is on the parameters track`);
  const tally = live.tally;
  check(BigInt(tally.ayes) === 2n * BigInt(tally.nays), `the live tally weighs aye ${tally.ayes} against nay ${tally.nays}: twice`);
  check(tally.approvalPpb > 500_000_000 && tally.supportPpb >= tally.minTurnoutPpb, `approval ${tally.approvalPpb / 1e7}%, turnout ${tally.supportPpb / 1e7}% over the ${tally.minTurnoutPpb / 1e7}% floor`);

  console.log('4. a strategic issuance within quota, and one over the year\'s cap');
  const quotas = await provider.send('vcity_supplyQuotas', []);
  check(quotas.available >= 2, `${quotas.available} quotas: ${quotas.revenueStages} revenue stages, ${quotas.equityStages} equity stages, ${quotas.used} used`);
  const issuanceBefore = (await api.query.balances.totalIssuance()).toBigInt();
  const grant = 1_000_000n * VCAI;
  const terms = { cliffDays: 1, vestingDays: 10 };
  const issue = await propose(api, proposer, { Governance: 'StrategicIssuance' },
    api.tx.supply.strategicIssuance([[partner.address, grant]], terms));
  const overCap = BigInt(quotas.roomThisYear) + 1n;
  const tooMuch = await propose(api, proposer, { Governance: 'StrategicIssuance' },
    api.tx.supply.strategicIssuance([[partner.address, overCap]], terms));
  for (const index of [issue, tooMuch]) await submit(api, api.tx.veVoting.vote(index, 'Aye'), big);

  console.log('5. the root track authorizes a runtime upgrade on the chain without sudo');
  // The hash of the runtime running now (`:code`), as a stand-in for a new release: the flow
  // shows the authorization, not a new runtime.
  const codeHash = (await api.rpc.state.getStorageHash('0x3a636f6465')).toHex();
  const upgrade = await propose(api, proposer, { system: 'Root' }, api.tx.system.authorizeUpgrade(codeHash));
  await submit(api, api.tx.veVoting.vote(upgrade, 'Aye'), big);
  await submit(api, api.tx.veVoting.vote(upgrade, 'Aye'), small);

  check(await decided(api, parameters) === 'approved', `referendum ${parameters} approved: more aye than nay weight`);
  check(await enactments.result(parameters) === 'ok', `referendum ${parameters} enacted`);
  const periods = await until('the new period length', 60_000, async () => {
    const now = (await api.query.chainClock.periods()).toJSON();
    return now.next ? now : undefined;
  });
  check(BigInt(periods.next.lengthMs) === 2n * dayMs && periodBefore.next === null, `enacted: periods of ${periods.next.lengthMs} ms from the next one on`);

  check(await decided(api, issue) === 'approved', `referendum ${issue} approved`);
  check(await decided(api, tooMuch) === 'approved', `referendum ${tooMuch} approved`);
  check(await enactments.result(issue) === 'ok', `referendum ${issue} enacted`);
  check(await enactments.result(tooMuch) === 'supply.YearlyCapExceeded', `referendum ${tooMuch}'s issuance refused: supply.YearlyCapExceeded`);
  const vesting = await until('the partner\'s grant', 60_000, async () => {
    const schedules = await api.query.vesting.vesting(partner.address);
    return schedules.isSome ? schedules.unwrap() : undefined;
  });
  check(vesting[0].locked.toBigInt() === grant, 'the grant of 1,000,000 VCAI vests from the day after next');
  check(await freeVcai(api, partner.address) >= grant, 'the partner holds its grant (locked by vesting)');
  const after = await provider.send('vcity_supplyQuotas', []);
  const issuanceAfter = (await api.query.balances.totalIssuance()).toBigInt();
  check(issuanceAfter === issuanceBefore + grant, 'total issuance grew by the grant and nothing else: the over-cap issuance minted nothing');
  check(after.used === quotas.used + 1, `one quota used (${after.used})`);
  check(BigInt(after.mintedThisYear) === grant, `this year's mints: ${after.mintedThisYear}`);

  check(await decided(api, upgrade) === 'approved', `referendum ${upgrade} approved on the root track`);
  const authorized = await until('the authorized upgrade', 60_000, async () => {
    const value = await api.query.system.authorizedUpgrade();
    return value.isSome ? value.unwrap() : undefined;
  });
  check(authorized.codeHash.toHex() === codeHash, 'the upgrade is authorized: anyone may now apply a runtime of that hash');
  check((await api.query.sudo.key()).isNone, 'and the chain still has no sudo');
  enactments.unsubscribe();
});
