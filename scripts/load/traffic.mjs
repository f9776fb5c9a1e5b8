// The kinds of traffic, each a source of the next transaction to offer: `next()` returns
// `{ kind, key, account, call, onIncluded, onRejected, onLost }` or null when it has nothing
// valid to offer now (every node beat in this window, every task waits for its block). `key`
// names the call, whose charged weight the report looks up.
//
// Each source only offers what the chain would take from an honest user: a node beats once per
// window, a task's next stage follows the block that included the stage before it, a claim is
// sent only when rewards are pending. So what the pool refuses shows limits of the chain, not
// mistakes of the load.
import { USDV, USDV_ID, VCAI } from '../lib/flow.mjs';
import { LOAD_REGION, NODE_PRICE } from './setup.mjs';

const HEALTHY = 'Healthy';

/** Round-robin over `items`, skipping those `usable` refuses; null after a full turn. */
class Ring {
  constructor(items) {
    this.items = items;
    this.at = 0;
  }

  pick(usable) {
    for (let tried = 0; tried < this.items.length; tried += 1) {
      const item = this.items[this.at];
      this.at = (this.at + 1) % this.items.length;
      if (usable(item)) return item;
    }
    return null;
  }
}

/** Small transfers around a ring of the sender accounts. */
export class Transfers {
  kind = 'transfers';

  constructor(api, users) {
    this.api = api;
    this.users = users;
    this.ring = new Ring(users.map((u, i) => [u, users[(i + 1) % users.length]]));
    this.count = 0;
  }

  next() {
    const pair = this.ring.pick(([from]) => !from.busy);
    if (!pair) return null;
    this.count += 1;
    // The amount varies so that a transaction re-signed with the nonce of a lost one is never
    // byte-for-byte one the pool banned.
    const amount = VCAI / 1000n + BigInt(this.count % 1000);
    return { kind: this.kind, key: 'transfer', account: pair[0], call: this.api.tx.balances.transferKeepAlive(pair[1].address, amount) };
  }
}

/**
 * Heartbeats of registered nodes, each signed by the node's own operator key and offered once
 * per heartbeat window, as the registry's pool check (`CheckHeartbeat`) accepts them: a second
 * beat in the same window is refused as too early.
 */
export class Heartbeats {
  kind = 'heartbeats';

  constructor(api, nodes, chain, clock, kind = 'heartbeats') {
    this.api = api;
    this.nodes = nodes;
    this.kind = kind;
    this.windowMs = chain.windowMs;
    this.clock = clock;
    this.ring = new Ring(nodes);
    this.count = 0;
  }

  window() {
    return Math.floor(this.clock() / this.windowMs);
  }

  /** Nodes that may beat in the current window and have no beat for it on its way. */
  due() {
    const w = this.window();
    return this.nodes.filter((n) => n.lastWindow < w && n.sentWindow !== w).length;
  }

  /** Milliseconds of chain time left in the current window. */
  windowLeftMs() {
    return (this.window() + 1) * this.windowMs - this.clock();
  }

  /**
   * Whether the node's last beat is still on its way. A beat still waiting when its window
   * closes stays in the pool (revalidated, it is valid in the next window too) and is included
   * later, so a second beat would be refused: as too early, or as a replacement of the same
   * nonce without a higher priority. A beat the pool did drop shows as a gap in the operator's
   * nonces, which the load fills (`fillGaps`).
   */
  #waiting(node) {
    const beat = node.beat;
    return Boolean(beat) && (beat.status === 'sent' || beat.status === 'pending');
  }

  next() {
    const w = this.window();
    // Once every node beat in this window, a quarter-second pause before looking through them
    // all again keeps a mix from spending its time on a search that finds nothing.
    if (this.emptyWindow === w && performance.now() - this.emptyAt < 250) return null;
    const node = this.ring.pick((n) => n.lastWindow < w && n.sentWindow !== w && !n.operator.busy && !this.#waiting(n));
    if (!node) {
      this.emptyWindow = w;
      this.emptyAt = performance.now();
      return null;
    }
    node.sentWindow = w;
    this.count += 1;
    const metrics = { loadPercent: this.count % 101, health: HEALTHY };
    return {
      kind: this.kind,
      key: 'heartbeat',
      account: node.operator,
      call: this.api.tx.computeRegistry.heartbeat(node.id, metrics),
      onIncluded: ({ ok, block }) => {
        // The window the chain records is the one of the block that included the beat.
        if (ok) node.lastWindow = Math.max(node.lastWindow, Math.floor(block.timestamp / this.windowMs));
      },
      onRejected: (reason) => {
        // Too early: it already beat in this window (a beat this client did not see).
        if (/Custom error: 2\b/.test(reason)) node.lastWindow = w;
        else node.sentWindow = undefined;
      },
      onSent: (record) => {
        node.beat = record;
      },
    };
  }
}

/**
 * The task life cycle: a user submits a one-GPU task for the load's region, gives it to a node
 * of its choice (`assign_directly`), the node's operator acknowledges, starts and delivers it,
 * and the user rates it, which settles it. Each stage is offered once the block with the stage
 * before it is in; the nodes beat every window so they stay online.
 */
export class Tasks {
  kind = 'tasks';

  constructor(api, users, nodes, chain, clock, tracker) {
    this.api = api;
    this.users = new Ring(users);
    this.nodes = nodes;
    this.beats = new Heartbeats(api, nodes, chain, clock, 'tasks');
    this.tracker = tracker;
    this.ready = [];
    this.inFlight = 0;
    this.done = 0;
    this.abandoned = {};
    this.ackWindow = chain.ackWindow;
  }

  /**
   * GPUs each node has free, as the market counts them: tasks an earlier run left open hold
   * theirs until the market's timeouts end them.
   */
  async refresh() {
    if (this.read) return;
    this.read = true;
    const used = await this.api.query.computeMarket.gpusInUse.multi(this.nodes.map((n) => n.id));
    used.forEach((u, i) => {
      this.nodes[i].freeGpus = Math.max(0, this.nodes[i].gpus - u.toNumber());
    });
  }

  /** From now on only the open tasks' remaining stages are offered, no new task. */
  finish() {
    this.finishing = true;
  }

  busy() {
    return this.inFlight > 0;
  }

  static REQUIREMENTS = { gpus: 1, minVramPerGpuGib: 8, minGpuClass: 'Consumer', minStage: 0, placement: { InRegion: LOAD_REGION } };
  /** Ten minutes at the node's price is 0.17 USDV, above the market's smallest escrow (0.1). */
  static SECONDS = 600;

  #online(node) {
    return node.lastWindow >= this.beats.window() - 1;
  }

  #abandon(task, why) {
    this.abandoned[why] = (this.abandoned[why] ?? 0) + 1;
    this.inFlight -= 1;
    // Only a task that never reached its node gives the GPU back here; one the node took holds
    // it on chain until the market's timeouts end it.
    if (task.stage === 'assign' || task.stage === 'submit') task.node.freeGpus += 1;
  }

  #stageCall(task) {
    const tx = this.api.tx.computeMarket;
    switch (task.stage) {
      case 'assign': return [task.user, tx.assignDirectly(task.id, task.node.id)];
      case 'ack': return [task.node.operator, tx.acknowledgeTask(task.id)];
      case 'start': return [task.node.operator, tx.startTask(task.id)];
      case 'complete': return [task.node.operator, tx.completeTask(task.id, `0x${'5a'.repeat(32)}`, Tasks.SECONDS)];
      case 'rate': return [task.user, tx.rateTask(task.id, 5)];
      default: throw new Error(`no stage ${task.stage}`);
    }
  }

  static NEXT = { submit: 'assign', assign: 'ack', ack: 'start', start: 'complete', complete: 'rate', rate: null };

  #item(task, account, call) {
    return {
      kind: this.kind,
      key: `task:${task.stage}`,
      account,
      call,
      onIncluded: ({ ok, error, events }) => {
        if (!ok) {
          this.#abandon(task, `${task.stage}: ${error}`);
          return;
        }
        if (task.stage === 'submit') {
          const submitted = events.find((e) => this.api.events.computeMarket.TaskSubmitted.is(e));
          task.id = submitted.data.task.toNumber();
        }
        // The market frees the GPU at delivery; the rating only settles the payment.
        if (task.stage === 'complete') task.node.freeGpus += 1;
        task.stage = Tasks.NEXT[task.stage];
        if (task.stage === null) {
          this.done += 1;
          this.inFlight -= 1;
        } else {
          this.ready.push(task);
        }
      },
      onRejected: (reason) => {
        task.rejections = (task.rejections ?? 0) + 1;
        if (task.rejections > 3) this.#abandon(task, `${task.stage}: refused by the pool (${reason})`);
        else if (task.stage === 'submit') this.#abandon(task, 'submit refused');
        else this.ready.push(task);
      },
      onLost: () => this.#abandon(task, `${task.stage}: never included`),
    };
  }

  next() {
    const beat = this.finishing ? null : this.beats.next();
    if (beat) return beat;
    for (let i = 0; i < this.ready.length; i += 1) {
      const task = this.ready[i];
      const [account, call] = this.#stageCall(task);
      if (account.busy) continue;
      this.ready.splice(i, 1);
      return this.#item(task, account, call);
    }
    if (this.finishing) return null;
    const node = this.nodes.find((n) => n.freeGpus > 0 && this.#online(n));
    if (!node) return null;
    const user = this.users.pick((u) => !u.busy);
    if (!user) return null;
    node.freeGpus -= 1;
    this.inFlight += 1;
    const task = { user, node, stage: 'submit' };
    // The deadline leaves room for the acknowledgement window, the task's seconds and a
    // backlog of blocks; a deadline too soon is refused.
    const deadline = this.tracker.bestNumber + 400 + this.ackWindow;
    const call = this.api.tx.computeMarket.submitTask(
      Tasks.REQUIREMENTS, Tasks.SECONDS, deadline, NODE_PRICE,
      { Builtin: { MatrixProduct: { seed: this.inFlight + this.done, size: 64, rounds: 1 } } }, 'PerTask',
    );
    return this.#item(task, user, call);
  }
}

/**
 * veVCAI: each account locks 10 VCAI for 30 days, then adds a VCAI at a time, and claims when
 * `vcity_vePendingRewards` (read at each step) says it has something to claim. One transaction
 * in fifty drops a VCAI into the distributor, as the buyback does each day, so that claims have
 * something to pay once a day closes: on a chain of 24-hour days that is rarely during a run,
 * on `dev-fast` a day is a minute.
 */
export class Locks {
  kind = 'locks';

  constructor(api, provider, users, chain, clock) {
    this.api = api;
    this.provider = provider;
    this.ring = new Ring(users);
    this.users = users;
    this.chain = chain;
    this.clock = clock;
    this.state = new Map(users.map((u) => [u.address, { lock: false, waiting: false, claimable: false, budget: null }]));
    this.count = 0;
  }

  async refresh() {
    for (let i = 0; i < this.users.length; i += 1000) {
      const slice = this.users.slice(i, i + 1000);
      const locks = await this.api.query.veVcai.locks.multi(slice.map((u) => u.address));
      locks.forEach((lock, k) => {
        const s = this.state.get(slice[k].address);
        s.lock = lock.isSome;
        // Whole VCAI it may still lock, keeping twenty for fees and the other kinds.
        s.budget ??= Number((slice[k].free - 20n * VCAI) / VCAI);
      });
    }
    await Promise.all(this.users.map(async (u) => {
      const s = this.state.get(u.address);
      if (s.lock) s.claimable = BigInt(await this.provider.send('vcity_vePendingRewards', [u.address])) > 0n;
    }));
  }

  next() {
    const user = this.ring.pick((u) => {
      const s = this.state.get(u.address);
      return !u.busy && !s.waiting && s.budget > (s.lock ? 1 : 10);
    });
    if (!user) return null;
    const s = this.state.get(user.address);
    const tx = this.api.tx.veVcai;
    if (!s.lock) {
      s.waiting = true;
      s.budget -= 10;
      const unlock = this.clock() + 30 * this.chain.dayMs;
      return {
        kind: this.kind,
        key: 'lock:create',
        account: user,
        call: tx.createLock(10n * VCAI, unlock),
        onIncluded: ({ ok, error }) => {
          s.waiting = false;
          s.lock = ok || error === 'veVcai.LockExists';
        },
        onRejected: () => { s.waiting = false; },
        onLost: () => { s.waiting = false; },
      };
    }
    if (s.claimable) {
      s.claimable = false;
      return { kind: this.kind, key: 'lock:claim', account: user, call: tx.claim() };
    }
    s.budget -= 1;
    this.count += 1;
    if (this.count % 50 === 0) return { kind: this.kind, key: 'lock:drop', account: user, call: tx.dropRewards(VCAI) };
    return { kind: this.kind, key: 'lock:increase', account: user, call: tx.increaseAmount(VCAI) };
  }
}

/** Swaps on the VCAI/USDV pool, each account alternating 1 VCAI in and 0.01 USDV in. */
export class Swaps {
  kind = 'swaps';

  constructor(api, users) {
    this.api = api;
    this.ring = new Ring(users);
    this.toUsdv = new Map();
  }

  next() {
    const user = this.ring.pick((u) => !u.busy);
    if (!user) return null;
    const sell = !this.toUsdv.get(user.address);
    this.toUsdv.set(user.address, sell);
    const usdvKind = { WithId: USDV_ID };
    const [path, amount] = sell ? [['Native', usdvKind], VCAI] : [[usdvKind, 'Native'], USDV / 100n];
    return {
      kind: this.kind,
      key: sell ? 'swap:vcai-usdv' : 'swap:usdv-vcai',
      account: user,
      call: this.api.tx.assetConversion.swapExactTokensForTokens(path, amount, 1, user.address, true),
    };
  }
}

/**
 * Several kinds in the shares of `weights`: each transaction goes to the kind furthest behind
 * its share; a kind with nothing to offer now (all beats sent in this window) gives its turn
 * to the others.
 */
export class Mix {
  kind = 'mix';

  constructor(sources, weights) {
    this.sources = sources;
    this.weights = weights;
    this.sent = Object.fromEntries(sources.map((s) => [s.kind, 0]));
    this.empty = Object.fromEntries(sources.map((s) => [s.kind, 0]));
  }

  finish() {
    this.finishing = true;
    for (const s of this.sources) s.finish?.();
  }

  busy() {
    return this.sources.some((s) => s.busy?.());
  }

  async refresh() {
    for (const s of this.sources) await s.refresh?.();
  }

  next() {
    const order = [...this.sources].sort((a, b) => this.sent[a.kind] / this.weights[a.kind] - this.sent[b.kind] / this.weights[b.kind]);
    for (const source of order) {
      if (this.finishing && !source.finish) continue;
      const item = source.next();
      if (item) {
        this.sent[source.kind] += 1;
        return item;
      }
      this.empty[source.kind] += 1;
    }
    return null;
  }
}
