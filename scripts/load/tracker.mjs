// Follows the chain as a user does: each new best block is read once, the load's transactions
// in it are found by their bytes, and each finalized head settles which of those blocks stay.
// Per block it keeps what the report needs: the extrinsics by kind, the weight by dispatch class
// (`System::BlockWeight` at that block), the bytes, and how far finality trails.
//
// Times are taken when this client hears of a block, which is what a user submitting a
// transaction would see; a block's own timestamp is the slot it was authored in, earlier.
import { dispatchErrorName } from '../lib/vcity.mjs';

export const now = () => performance.now();

/** Whether an extrinsic (hex, with its length prefix) carries a signature. */
function isSigned(hex) {
  const first = parseInt(hex.slice(2, 4), 16);
  const prefixBytes = [1, 2, 4, 1 + (first >> 2) + 4][first & 3];
  return (parseInt(hex.slice(2 + prefixBytes * 2, 4 + prefixBytes * 2), 16) & 0x80) !== 0;
}

export class Tracker {
  /**
   * `onBlock(block)` hears of each block once it is read; `events` reads each block's events,
   * which the task life cycle needs (a task's id) and which tell dispatch failures apart.
   */
  constructor(api, provider, { events = true, onBlock = () => {}, onFinal = () => {} } = {}) {
    this.api = api;
    this.provider = provider;
    this.readEvents = events;
    this.onBlock = onBlock;
    this.onFinal = onFinal;
    this.live = new Map();
    this.blocks = [];
    this.byHash = new Map();
    this.byNumber = new Map();
    this.step = -1;
    this.queue = Promise.resolve();
    this.errors = [];
  }

  async start() {
    const head = await this.api.rpc.chain.getHeader();
    this.baseNumber = head.number.toNumber();
    this.bestNumber = this.baseNumber;
    this.bestHash = head.hash.toHex();
    this.bestTimestamp = (await this.api.query.timestamp.now.at(head.hash)).toNumber();
    const finalHash = await this.api.rpc.chain.getFinalizedHead();
    this.finalNumber = (await this.api.rpc.chain.getHeader(finalHash)).number.toNumber();
    this.finalHash = finalHash.toHex();
    this.byHash.set(this.bestHash, { number: this.baseNumber, hash: this.bestHash, baseline: true });
    this.unsubscribe = [
      await this.api.rpc.chain.subscribeNewHeads((header) => {
        const at = now();
        this.#enqueue(() => this.#onBest(header.hash.toHex(), header.number.toNumber(), at));
      }),
      await this.api.rpc.chain.subscribeFinalizedHeads((header) => {
        const at = now();
        this.#enqueue(() => this.#onFinal(header.hash.toHex(), header.number.toNumber(), at));
      }),
    ];
  }

  stop() {
    for (const unsubscribe of this.unsubscribe ?? []) unsubscribe();
  }

  /** Blocks are read one after another, so each sees the ones before it already counted. */
  #enqueue(work) {
    this.queue = this.queue.then(work).catch((e) => {
      this.errors.push(String(e.message ?? e));
      console.error(`  tracker: ${e.message ?? e}`);
    });
  }

  /** Expects `record` (a transaction just signed) in a coming block. */
  watch(record) {
    this.live.set(record.hex, record);
  }

  forget(record) {
    this.live.delete(record.hex);
  }

  async #onBest(hash, number, at) {
    if (!this.byHash.has(hash)) await this.#read(hash, at, 0);
    this.bestNumber = number;
    this.bestHash = hash;
  }

  /** Reads block `hash`, and first its parents this client has not read (a fork's blocks). */
  async #read(hash, at, depth) {
    const started = now();
    const { block } = await this.provider.send('chain_getBlock', [hash]);
    const number = parseInt(block.header.number, 16);
    const parent = block.header.parentHash;
    if (!this.byHash.has(parent) && number - 1 > this.baseNumber && depth < 64) await this.#read(parent, at, depth + 1);
    const [weight, timestamp, events] = await Promise.all([
      this.api.query.system.blockWeight.at(hash),
      this.api.query.timestamp.now.at(hash),
      this.readEvents ? this.api.query.system.events.at(hash) : Promise.resolve(null),
    ]);
    const byIndex = new Map();
    for (const { phase, event } of events ?? []) {
      if (!phase.isApplyExtrinsic) continue;
      const index = phase.asApplyExtrinsic.toNumber();
      if (!byIndex.has(index)) byIndex.set(index, []);
      byIndex.get(index).push(event);
    }
    const record = {
      number,
      hash,
      parent,
      seenAt: at,
      step: this.step,
      timestamp: timestamp.toNumber(),
      extrinsics: block.extrinsics.length,
      kinds: {},
      keys: {},
      ours: 0,
      failed: {},
      length: 0,
      weight: {
        normal: Number(weight.normal.refTime.toBigInt()),
        operational: Number(weight.operational.refTime.toBigInt()),
        mandatory: Number(weight.mandatory.refTime.toBigInt()),
      },
      proof: Number(weight.normal.proofSize.toBigInt()),
      gap: number - this.finalNumber,
      txs: [],
      canonical: null,
    };
    const results = [];
    block.extrinsics.forEach((hex, index) => {
      record.length += (hex.length - 2) / 2;
      const tx = this.live.get(hex);
      if (!tx) {
        const kind = isSigned(hex) ? 'other' : 'inherent';
        record.kinds[kind] = (record.kinds[kind] ?? 0) + 1;
        return;
      }
      record.kinds[tx.kind] = (record.kinds[tx.kind] ?? 0) + 1;
      record.keys[tx.key] = (record.keys[tx.key] ?? 0) + 1;
      record.ours += 1;
      record.txs.push(tx);
      const firstTime = tx.includedAt === undefined || tx.includedAt === null;
      tx.block = hash;
      tx.blockNumber = number;
      if (firstTime) tx.includedAt = at;
      tx.status = 'included';
      const txEvents = byIndex.get(index) ?? [];
      const failed = txEvents.find((e) => this.api.events.system.ExtrinsicFailed.is(e));
      const result = { ok: !failed, events: txEvents, block: record };
      if (failed) {
        result.error = dispatchErrorName(this.api, failed.data.dispatchError);
        tx.error = result.error;
        const key = `${tx.key}: ${result.error}`;
        record.failed[key] = (record.failed[key] ?? 0) + 1;
      }
      if (firstTime) results.push([tx, result]);
    });
    if (timestamp.toNumber() > this.bestTimestamp) this.bestTimestamp = timestamp.toNumber();
    this.blocks.push(record);
    this.byHash.set(hash, record);
    if (!this.byNumber.has(number)) this.byNumber.set(number, []);
    this.byNumber.get(number).push(record);
    // The callbacks move the traffic on (a task's next stage), after the block is counted.
    for (const [tx, result] of results) {
      try {
        tx.onIncluded?.(result);
      } catch (e) {
        this.errors.push(String(e.message ?? e));
      }
    }
    if (number <= this.finalNumber) {
      const canonical = await this.provider.send('chain_getBlockHash', [number]);
      this.#settle(record, canonical === hash, at);
    }
    record.readMs = now() - started;
    this.onBlock(record);
  }

  #settle(record, canonical, at) {
    record.canonical = canonical;
    for (const tx of record.txs) {
      if (tx.block !== record.hash) continue;
      if (canonical) {
        if (tx.finalAt === undefined) tx.finalAt = at;
        tx.status = 'final';
        this.live.delete(tx.hex);
        // A long run keeps every record for the report; the bytes are no longer needed.
        tx.hex = null;
      } else {
        // Retracted with its fork: the pool takes it back and a later block may include it.
        tx.block = null;
        tx.includedAt = null;
        tx.status = 'pending';
      }
    }
  }

  async #onFinal(hash, number, at) {
    for (let n = this.finalNumber + 1; n <= number; n += 1) {
      if (n <= this.baseNumber) continue;
      const canonical = n === number ? hash : await this.provider.send('chain_getBlockHash', [n]);
      if (!(this.byNumber.get(n) ?? []).some((b) => b.hash === canonical)) await this.#read(canonical, at, 0);
      for (const record of this.byNumber.get(n) ?? []) this.#settle(record, record.hash === canonical, at);
    }
    if (number > this.finalNumber) {
      this.finalNumber = number;
      this.finalHash = hash;
      this.onFinal(number, hash);
    }
  }

  /** Waits until every block heard of so far has been read. */
  async settled() {
    await this.queue;
  }

  /** Canonical (or not yet settled) blocks of `step`. */
  blocksOf(step) {
    return this.blocks.filter((b) => b.step === step && b.canonical !== false);
  }
}
