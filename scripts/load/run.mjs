// Load tool: drives realistic traffic at rising rates against a Vcity node, or spreads it over
// several (the four validators of scripts/local-testnet.sh), and reports per block and in total
// how much of it the chain included against what the charged weights allow, what the pool
// refused and why, how full blocks were by dispatch class, and how long inclusion and finality
// took. docs/load.md describes the traffic, the options and how to read the report.
//
//   node load/run.mjs --url ws://127.0.0.1:9944 --kind transfers --rates 100,200,400,800
//   node load/run.mjs --url ws://127.0.0.1:9944,ws://127.0.0.1:9945,ws://127.0.0.1:9946,ws://127.0.0.1:9947 --kind mix
//   node load/run.mjs --selftest --count 5000
import { writeFileSync } from 'node:fs';
import { WsProvider } from '@polkadot/api';
import { bnToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect } from '../lib/vcity.mjs';
import { deriveAccounts, readAccounts, rootKey, Signer } from './keys.mjs';
import { kindsOf, parseOptions, USAGE } from './options.mjs';
import { blockLine, blockTable, capacityPerBlock, markdown, summarize } from './report.mjs';
import { prepare } from './setup.mjs';
import { now, Tracker } from './tracker.mjs';
import { Heartbeats, Locks, Mix, Swaps, Tasks, Transfers } from './traffic.mjs';

/** Submissions awaiting the node's answer; beyond it the node is the bottleneck and the offered rate falls behind. */
const MAX_IN_FLIGHT = 2_000;
/** Transactions signed in one turn of the event loop before block reading gets a turn. */
const BURST = 64;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

/** The limits a report measures against, read from the chain rather than copied. */
async function chainFacts(api) {
  const weights = api.consts.system.blockWeights;
  const normal = weights.perClass.normal;
  const params = await api.query.computeMarket.params();
  const market = params.isSome ? params.unwrap() : params;
  return {
    chain: (await api.rpc.system.chain()).toString(),
    specVersion: api.runtimeVersion.specVersion.toNumber(),
    normalMax: Number(normal.maxTotal.unwrap().refTime.toBigInt()),
    baseExtrinsic: Number(normal.baseExtrinsic.refTime.toBigInt()),
    maxBlock: Number(weights.maxBlock.refTime.toBigInt()),
    normalLength: api.consts.system.blockLength.max.normal.toNumber(),
    blockMs: api.consts.computeRegistry.blockTimeMs.toNumber(),
    heartbeatQuota: api.consts.computeRegistry.maxHeartbeatsPerBlock.toNumber(),
    windowMs: (await api.query.computeRegistry.heartbeatWindowMs()).toNumber(),
    dayMs: (await api.query.chainClock.calendar()).dayMs.toNumber(),
    ackWindow: market.ackWindow.toNumber(),
  };
}

/**
 * Charged weight of each call the load sends, asked of the runtime for the first transaction
 * of each (`TransactionPaymentApi_query_info`). Called raw: the decorated `api.call` encodes
 * the extrinsic in a form the runtime cannot decode.
 */
class Weights {
  constructor(api, provider) {
    this.api = api;
    this.provider = provider;
    this.refTime = {};
    this.fees = {};
    this.pending = [];
  }

  note(key, hex, length) {
    if (key in this.refTime) return;
    this.refTime[key] = null;
    const input = u8aToHex(u8aConcat(hexToU8a(hex), bnToU8a(length, { bitLength: 32 })));
    this.pending.push(this.provider.send('state_call', ['TransactionPaymentApi_query_info', input]).then((out) => {
      const info = this.api.createType('RuntimeDispatchInfo', out);
      this.refTime[key] = Number(info.weight.refTime.toBigInt());
      this.fees[key] = info.partialFee.toString();
    }, () => {}));
  }

  async settled() {
    await Promise.all(this.pending);
  }
}

/** One connection per URL; submissions go round-robin, as wallets spread over RPC nodes would. */
class Submitter {
  constructor(urls) {
    this.urls = urls;
    this.at = 0;
  }

  async connect() {
    this.providers = await Promise.all(this.urls.map(async (url) => {
      const provider = new WsProvider(url, 2_500, {}, 120_000);
      await provider.isReady;
      return provider;
    }));
  }

  #next() {
    const provider = this.providers[this.at];
    this.at = (this.at + 1) % this.providers.length;
    return provider;
  }

  send(hex) {
    return this.#next().send('author_submitExtrinsic', [hex]);
  }

  /**
   * Submits and follows the pool's view of the transaction (`author_submitAndWatchExtrinsic`):
   * resolves once the pool took it, and `onStatus` hears each later status until it returns
   * true. Only a sample is watched: each watch is a subscription, and a connection holds 1024.
   */
  watch(hex, onStatus) {
    const provider = this.#next();
    let id = null;
    let ended = false;
    const end = () => {
      ended = true;
      if (id !== null) provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', id).catch(() => {});
    };
    return provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error, status) => {
      if (!error && !ended && onStatus(status)) end();
    }).then((subscription) => {
      id = subscription;
      if (ended) end();
    });
  }

  async disconnect() {
    await Promise.all(this.providers.map((p) => p.disconnect().catch(() => {})));
  }
}

/** An RPC error as a reason to group by: hashes and the figures that vary left out. */
function reasonOf(error) {
  return String(error?.message ?? error)
    .replace(/0x[0-9a-fA-F]{8,}/g, '0x…')
    .replace(/\(\d+ vs \d+\)/g, '(… vs …)')
    .slice(0, 160);
}

/**
 * Refusals that say the nonce is taken: by a transaction already in a block (outdated), or by
 * one still in the pool (a same-nonce replacement needs a higher priority). Neither nonce may
 * be given back.
 */
const NONCE_IN_BLOCK = /outdated|stale/i;
const NONCE_IN_POOL = /Priority is too low|Already Imported/i;

class Load {
  constructor(api, provider, options, chain) {
    this.api = api;
    this.provider = provider;
    this.options = options;
    this.chain = chain;
    this.records = [];
    this.inFlight = 0;
    this.step = -1;
    this.blocksInStep = new Map();
    this.weights = new Weights(api, provider);
    this.signer = new Signer(api);
    this.submitter = new Submitter(options.urls);
    this.tracker = new Tracker(api, provider, {
      events: options.events,
      onBlock: (b) => {
        this.blocksInStep.set(b.step, (this.blocksInStep.get(b.step) ?? 0) + 1);
        if (!options.quiet) console.log(blockLine(b, chain, options.rates.length));
      },
      onFinal: (number, hash) => {
        // A fresh anchor every 32 finalized blocks keeps the era well inside its 256 blocks.
        if (number >= this.signer.anchorNumber + 32) this.signer.anchor(number, hash);
      },
    });
  }

  async start() {
    await this.submitter.connect();
    await this.tracker.start();
    this.signer.anchor(this.tracker.finalNumber, this.tracker.finalHash);
  }

  clock() {
    return this.tracker.bestTimestamp;
  }

  /** Signs `item` with the account's next nonce and submits it without waiting for it. */
  offer(item) {
    const { account } = item;
    account.busy = true;
    const signed = this.signer.sign(account, item.call);
    const record = {
      kind: item.kind,
      key: item.key,
      step: this.step,
      address: account.address,
      nonce: signed.nonce,
      hex: signed.hex,
      sentAt: now(),
      status: 'sent',
      onIncluded: item.onIncluded,
      onLost: item.onLost,
    };
    this.records.push(record);
    this.tracker.watch(record);
    this.weights.note(item.key, signed.hex, signed.length);
    item.onSent?.(record);
    this.inFlight += 1;
    this.offered = (this.offered ?? 0) + 1;
    // A connection holds at most 1024 subscriptions: beyond 512 open watches (a long backlog)
    // the sample waits.
    const watched = this.options.watchEvery > 0 && this.offered % this.options.watchEvery === 0 && (this.watching ?? 0) < 512;
    record.watched = watched;
    if (watched) this.watching = (this.watching ?? 0) + 1;
    const sending = watched
      ? this.submitter.watch(signed.hex, (status) => {
        const ended = this.poolStatus(record, account, status);
        if (ended) this.watching -= 1;
        return ended;
      })
      : this.submitter.send(signed.hex);
    sending.then(
      () => {
        if (record.status === 'sent') record.status = 'pending';
      },
      async (error) => {
        if (watched) this.watching -= 1;
        record.status = 'rejected';
        record.reason = reasonOf(error);
        this.tracker.forget(record);
        record.hex = null;
        if (NONCE_IN_BLOCK.test(record.reason)) await this.resync(account);
        else if (!NONCE_IN_POOL.test(record.reason)) account.giveBack(record.nonce);
        item.onRejected?.(record.reason);
      },
    ).finally(() => {
      account.busy = false;
      this.inFlight -= 1;
    });
  }

  /**
   * A watched transaction's later fate in the pool. One the pool drops or finds invalid after
   * taking it never reaches a block: it is counted with its reason, and its nonce is the
   * account's next. Watching ends once it is in a block; the block reader does the rest.
   */
  poolStatus(record, account, status) {
    const kind = typeof status === 'string' ? status : Object.keys(status)[0];
    if (kind === 'future') record.wasFuture = true;
    if (kind === 'dropped' || kind === 'invalid' || kind === 'usurped') {
      if (record.status === 'sent' || record.status === 'pending') {
        record.status = 'expired';
        record.dropReason = `pool said ${kind}`;
        this.tracker.forget(record);
        if (kind !== 'usurped') account.giveBack(record.nonce);
        record.onLost?.();
      }
      return true;
    }
    return kind === 'inBlock' || kind === 'finalized' || kind === 'finalityTimeout';
  }

  /**
   * Moves the account's nonce up to the chain's. Only up: a nonce above it may be held by a
   * transaction still in the pool, which the pool's own count (`system_accountNextIndex`) can
   * miss while the pool is busy.
   */
  async resync(account) {
    try {
      const onChain = (await this.api.query.system.account(account.address)).nonce.toNumber();
      account.nonce = Math.max(account.nonce, onChain);
      if (account.refill !== null && account.refill < onChain) account.refill = null;
    } catch {
      // The next refusal tries again.
    }
  }

  /**
   * Transactions the pool took and then lost (evicted, or invalid once a block changed the
   * state) leave a gap in their account's nonces, and every later transaction of the account
   * would wait behind it for good. An account whose oldest waiting transaction is eight blocks
   * old is asked for its next nonce; one below ours, the same at two looks in a row, is such a
   * gap, and the next transaction fills it. A single look is not enough: under load the pool's
   * count can lag behind what it holds, and a transaction re-using a held nonce is refused.
   */
  async fillGaps() {
    const old = now() - 8 * this.chain.blockMs;
    const waiting = new Map();
    for (const r of this.records) {
      if ((r.status === 'pending' || r.status === 'sent') && r.sentAt < old && !waiting.has(r.address)) waiting.set(r.address, r);
    }
    const accounts = new Map(this.accounts.map((a) => [a.address, a]));
    let filled = 0;
    for (const address of [...waiting.keys()].slice(0, 200)) {
      const account = accounts.get(address);
      if (!account || account.busy || account.refill !== null) continue;
      const next = (await this.api.rpc.system.accountNextIndex(address)).toNumber();
      if (next >= account.nonce || account.busy || account.refill !== null) {
        account.suspect = null;
        continue;
      }
      if (account.suspect !== next) {
        account.suspect = next;
        continue;
      }
      account.suspect = null;
      const lost = this.records.find((r) => r.address === address && r.nonce === next && (r.status === 'pending' || r.status === 'sent'));
      if (lost) {
        lost.status = 'expired';
        lost.dropReason = 'a gap in its account\'s nonces';
        this.tracker.forget(lost);
        lost.onLost?.();
      }
      account.refill = next;
      filled += 1;
    }
    if (filled > 0) console.log(`  ${filled} accounts had a lost transaction; their next ones fill the gaps`);
  }

  /** Looks for gaps without holding up the offered traffic; one search at a time. */
  fillGapsSoon() {
    if (this.filling) return;
    this.filling = this.fillGaps().catch(() => {}).finally(() => {
      this.filling = null;
    });
  }

  async runStep(source, index, rate) {
    this.step = index;
    this.tracker.step = index;
    await source.refresh?.();
    if (index > 0) await (this.filling ?? this.fillGaps());
    const step = { index, rate, offered: 0, starved: 0, signMs: 0 };
    const emptyBefore = { ...(source.empty ?? {}) };
    const started = now();
    let owed = 0;
    let lastFill = 0;
    while ((this.blocksInStep.get(index) ?? 0) < this.options.stepBlocks) {
      const seen = this.blocksInStep.get(index) ?? 0;
      if (seen >= lastFill + 4) {
        lastFill = seen;
        this.fillGapsSoon();
      }
      const due = Math.floor((rate * (now() - started)) / 1000) - owed;
      let budget = Math.min(due, BURST);
      while (budget > 0 && this.inFlight < MAX_IN_FLIGHT) {
        const item = source.next();
        if (!item) {
          // Nothing valid to offer now: those transactions are not owed later.
          step.starved += budget;
          owed += budget;
          break;
        }
        const signing = now();
        this.offer(item);
        step.signMs += now() - signing;
        step.offered += 1;
        owed += 1;
        budget -= 1;
      }
      await (due > BURST ? yieldNow() : sleep(5));
    }
    step.seconds = (now() - started) / 1000;
    // Kinds of a mix that had nothing valid to offer at times (every node beat in the window).
    if (source.empty) step.empty = Object.fromEntries(Object.entries(source.empty).map(([k, n]) => [k, n - (emptyBefore[k] ?? 0)]).filter(([, n]) => n > 0));
    return step;
  }

  /**
   * Waits for what is still on its way and for finality of what was included; open tasks are
   * taken to their end meanwhile, so their nodes' GPUs are free for the next run.
   */
  async drain(source, index) {
    this.step = index;
    this.tracker.step = index;
    const finisher = source.finish ? source : null;
    finisher?.finish();
    const waitingCount = () => this.records.filter((r) => r.status === 'sent' || r.status === 'pending' || r.status === 'included').length;
    let lastFill = 0;
    let offered = 0;
    while ((this.blocksInStep.get(index) ?? 0) < this.options.drainBlocks && (waitingCount() > 0 || finisher?.busy())) {
      for (let item = finisher?.next(); item; item = finisher.next()) {
        this.offer(item);
        offered += 1;
      }
      // A gap found now would hold the account's later transactions forever, as no step
      // offers anything more from it: a remark takes the missing nonce.
      for (const account of this.accounts) {
        if (account.refill === null || account.busy) continue;
        this.offer({ kind: 'filler', key: 'remark', account, call: this.api.tx.system.remark('0x') });
        offered += 1;
      }
      const seen = this.blocksInStep.get(index) ?? 0;
      if (seen >= lastFill + 3) {
        lastFill = seen;
        await this.fillGaps();
      }
      await sleep(200);
    }
    await this.tracker.settled();
    return offered;
  }
}

function makeSource(load, kind, actors) {
  const { api, provider, chain } = load;
  const clock = () => load.clock();
  switch (kind) {
    case 'transfers': return new Transfers(api, actors.users);
    case 'heartbeats': return new Heartbeats(api, actors.beatNodes, chain, clock);
    case 'tasks': return new Tasks(api, actors.users, actors.taskNodes, chain, clock, load.tracker);
    case 'locks': return new Locks(api, provider, actors.users, chain, clock);
    case 'swaps': return new Swaps(api, actors.users);
    default: throw new Error(`no source for ${kind}`);
  }
}

function weightTable(chain, weights) {
  const lines = ['| call | charged weight | a block holds by weight | a block holds | max tx/s |', '| --- | --- | --- | --- | --- |'];
  for (const [key, refTime] of Object.entries(weights).sort()) {
    if (refTime === null) continue;
    const byWeight = chain.normalMax / (refTime + chain.baseExtrinsic);
    const perBlock = capacityPerBlock({ [key]: 1 }, chain, weights);
    const why = perBlock < byWeight ? ' (heartbeat quota)' : '';
    lines.push(`| ${key} | ${(refTime / 1e9).toFixed(3)} ms | ${Math.floor(byWeight)} | ${Math.floor(perBlock)}${why} | ${(perBlock / (chain.blockMs / 1000)).toFixed(1)} |`);
  }
  return lines.join('\n');
}

/**
 * Measures this tool alone: how many transfers polkadot.js builds and signs a second on this
 * machine and, with `--submit`, how fast they can be handed to the node.
 */
async function selftest(api, provider, options) {
  const chain = await chainFacts(api);
  const users = deriveAccounts(rootKey(options.tag), 'user', Math.min(options.accounts, options.count));
  const signer = new Signer(api);
  const finalHash = await api.rpc.chain.getFinalizedHead();
  signer.anchor((await api.rpc.chain.getHeader(finalHash)).number.toNumber(), finalHash.toHex());
  const payload = new Uint8Array(150);
  let started = now();
  for (let i = 0; i < options.count; i += 1) users[i % users.length].pair.sign(payload);
  const rawRate = options.count / ((now() - started) / 1000);
  if (options.submit) {
    await prepare(api, options, ['transfers'], chain.windowMs);
    await readAccounts(api, users);
  }
  started = now();
  const signed = [];
  for (let i = 0; i < options.count; i += 1) {
    const from = users[i % users.length];
    const to = users[(i + 1) % users.length];
    signed.push(signer.sign(from, api.tx.balances.transferKeepAlive(to.address, 1_000_000_000_000_000n + BigInt(i))).hex);
  }
  const signRate = options.count / ((now() - started) / 1000);
  const weights = new Weights(api, provider);
  weights.note('transfer', signed[0], (signed[0].length - 2) / 2);
  await weights.settled();
  const perBlock = capacityPerBlock({ transfer: 1 }, chain, weights.refTime);
  const result = {
    cpu: (await import('node:os')).cpus()[0]?.model,
    sr25519SignaturesPerSecond: rawRate,
    transfersSignedPerSecond: signRate,
    chainMaxTransfersPerSecond: perBlock / (chain.blockMs / 1000),
  };
  console.log(`sr25519 signatures (polkadot.js wasm): ${rawRate.toFixed(0)}/s`);
  console.log(`transfers built, signed and encoded:   ${signRate.toFixed(0)}/s`);
  console.log(`the chain includes at most:            ${result.chainMaxTransfersPerSecond.toFixed(0)} transfers/s (${Math.floor(perBlock)} a block by charged weight)`);
  if (options.submit) {
    const submitter = new Submitter(options.urls);
    await submitter.connect();
    const reasons = {};
    let accepted = 0;
    let next = 0;
    started = now();
    const worker = async () => {
      while (next < signed.length) {
        const hex = signed[next];
        next += 1;
        try {
          await submitter.send(hex);
          accepted += 1;
        } catch (e) {
          reasons[reasonOf(e)] = (reasons[reasonOf(e)] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: 256 }, worker));
    const seconds = (now() - started) / 1000;
    result.submittedPerSecond = signed.length / seconds;
    result.accepted = accepted;
    result.rejections = reasons;
    console.log(`submitted (256 at a time):              ${result.submittedPerSecond.toFixed(0)}/s, ${accepted} accepted`);
    for (const [r, n] of Object.entries(reasons)) console.log(`  refused ×${n}: ${r}`);
    await submitter.disconnect();
  }
  return result;
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    process.exit(0);
  }
  await cryptoWaitReady();
  const { api, provider } = await connect(options.urls[0]);
  if (options.selftest) {
    const result = await selftest(api, provider, options);
    if (options.out) writeFileSync(options.out, JSON.stringify({ options, selftest: result }, null, 2));
    await api.disconnect();
    process.exit(0);
  }

  const chain = await chainFacts(api);
  const kinds = kindsOf(options);
  console.log(`${chain.chain} (spec ${chain.specVersion}) via ${options.urls.join(', ')}: ${options.kind} at ${options.rates.join(', ')} tx/s, ${options.stepBlocks} blocks a step`);
  console.log(`  normal class ${(chain.normalMax / 1e9).toFixed(0)} ms of ${(chain.maxBlock / 1e9).toFixed(0)} ms a block, base extrinsic ${(chain.baseExtrinsic / 1e9).toFixed(3)} ms, `
    + `${chain.heartbeatQuota} heartbeats a block, heartbeat window ${chain.windowMs / 1000} s`);
  const actors = await prepare(api, options, kinds, chain.windowMs);
  const load = new Load(api, provider, options, chain);
  load.accounts = [...actors.users, ...actors.beatNodes.map((n) => n.operator), ...actors.taskNodes.map((n) => n.operator)];
  await load.start();
  const sources = kinds.map((k) => makeSource(load, k, actors));
  const source = options.kind === 'mix' ? new Mix(sources, options.mix) : sources[0];
  const beats = sources.find((s) => s.kind === 'heartbeats');
  if (beats) {
    console.log(`  ${actors.beatNodes.length} heartbeat nodes, ${beats.due()} may beat in this window (${(beats.windowLeftMs() / 1000).toFixed(0)} s left of it)`);
  }
  if (actors.taskNodes.length) console.log(`  ${actors.taskNodes.length} task nodes of ${actors.taskNodes[0].gpus} GPUs`);
  if (actors.users.length) console.log(`  ${actors.users.length} sender accounts`);

  const steps = [];
  for (const [index, rate] of options.rates.entries()) {
    console.log(`step ${index + 1}: ${rate} tx/s offered for ${options.stepBlocks} blocks`);
    const step = await load.runStep(source, index, rate);
    steps.push(step);
    console.log(`  offered ${step.offered} in ${step.seconds.toFixed(1)} s (${(step.offered / step.seconds).toFixed(1)} tx/s)${step.starved ? `; ${step.starved} not offered: nothing to offer at the moment` : ''}`);
  }
  console.log(`draining: up to ${options.drainBlocks} blocks for inclusion and finality`);
  const finishing = await load.drain(source, options.rates.length);
  if (finishing) console.log(`  ${finishing} transactions offered while draining (open tasks' stages, remarks filling nonce gaps)`);
  load.tracker.stop();
  await load.weights.settled();

  const summary = summarize({ options, chain, weights: load.weights.refTime, steps, records: load.records, tracker: load.tracker, kinds });
  const tasks = sources.find((s) => s.kind === 'tasks');
  if (tasks) summary.tasks = { settled: tasks.done, inFlight: tasks.inFlight, abandoned: tasks.abandoned };
  const report = [
    `## ${options.kind} on ${chain.chain}, ${options.urls.length} RPC node(s)`,
    '',
    markdown(summary),
    '',
    'Charged weights (the runtime\'s `query_info`), and what they allow:',
    '',
    weightTable(chain, load.weights.refTime),
  ];
  if (summary.tasks) report.push('', `Tasks: ${summary.tasks.settled} settled, ${summary.tasks.inFlight} still open; abandoned: ${JSON.stringify(summary.tasks.abandoned)}`);
  console.log(`\n${report.join('\n')}`);
  if (options.out) writeFileSync(options.out, JSON.stringify(summary, null, 2));
  if (options.md) writeFileSync(options.md, `${report.join('\n')}\n\n### Blocks\n\n${blockTable(summary)}\n`);
  await load.submitter.disconnect();
  await api.disconnect();
  process.exit(0);
}

main().catch((e) => {
  console.error(e.stack ?? e);
  process.exit(1);
});
