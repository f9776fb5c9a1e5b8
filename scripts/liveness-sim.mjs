// Liveness at internet scale (docs/liveness.md): what one heartbeat per node and window costs the
// chain, where that saturates, and what sampled liveness challenges or attested windows cost
// instead; how fast each notices a dead node, and how often each wrongs a live one.
//
//   node scripts/liveness-sim.mjs
//
// Plain Node.js, no dependencies. The Monte Carlo parts draw from one seeded generator in a fixed
// order, so every run prints the same tables, which the doc quotes verbatim.

const SEED = 2609;

// Small, fast and good enough for Monte Carlo; what matters is that the stream is reproducible.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(SEED);

// ---------------------------------------------------------------------------------------------
// The chain as the repository configures it. Weights are picoseconds of ref_time, as in FRAME.
// ---------------------------------------------------------------------------------------------

const BLOCK_MS = 6_000; // runtime/src/time.rs, MILLI_SECS_PER_BLOCK
const WINDOW_BLOCKS = 600_000 / BLOCK_MS; // STANDARD_TIMES.heartbeat_window_ms: 10 minutes
const BLOCKS_PER_HOUR = 3_600_000 / BLOCK_MS;
const BLOCKS_PER_DAY = 24 * BLOCKS_PER_HOUR;
const WINDOWS_PER_WEEK = (7 * BLOCKS_PER_DAY) / WINDOW_BLOCKS; // a rewards period is a week
const MAX_WINDOW_BLOCKS = BLOCKS_PER_DAY; // MaxHeartbeatWindowMs: one day
// runtime/src/configs/mod.rs: 2 s of ref_time a block, 75% for normal transactions; 5 MiB of
// length, 75% normal. Proof size is unbounded (u64::MAX) on this solochain.
const NORMAL_REF_TIME = 0.75 * 2e12;
const NORMAL_LENGTH = Math.floor(0.75 * 5 * 1024 * 1024);
const QUOTA = 374; // runtime/src/configs/registry.rs, MaxHeartbeatsPerBlock (420 until spec 116)
const SWEEP_PER_BLOCK = 16; // OnlineSweepPerBlock
const RESUBMIT_BLOCKS = 8; // runtime/src/configs/bridge.rs, WorkerTxLifetime with a 1-minute ack window
const POOL_LIMIT = 8_192; // the transaction pool's default --pool-limit; the repo does not raise it
const CHARGED_N = 200_000; // primitives/src/charged.rs, CHARGED_NETWORK_SIZE

// The runtime's DbWeight is ParityDbWeight. frame_system's own extensions keep
// `ExtensionsWeightInfo = ()`, whose weights are priced with RocksDbWeight: that is what the
// runtime charges, so it is what the model charges.
const PARITY = { read: 8e6, write: 50e6 };
const ROCKS = { read: 25e6, write: 100e6 };
const BASE_EXTRINSIC = 108_157_000; // frame_support's ExtrinsicBaseWeight, normal class base
const db = (reads, writes = 0) => reads * PARITY.read + writes * PARITY.write;

// pallets/compute-registry/src/weights.rs and pallets/rewards/src/weights.rs, read at the size the
// runtime charges (CHARGED_NETWORK_SIZE), with the extra reads the call's weight annotation adds.
const beatParts = [
  ['`heartbeat` call (benchmark + 3 reads)', 68_914_193 + 1_650 * CHARGED_N + db(15 + 3, 8), 3_738],
  ['Proof-of-Capacity credit (`capacity_proven` + penalty check)', 16_901_401 + 543 * CHARGED_N + db(6 + 2, 2), 3_546],
  ['`CheckHeartbeat` (pool check, `check_heartbeat`)', 25_113_240 + 815 * CHARGED_N + db(6), 3_738],
  [
    "frame_system's extensions (era, nonce, weight, reclaim, ...)",
    570_000 + 430_000 + 455_000 + (3_577_000 + ROCKS.read) + (6_703_000 + ROCKS.read) +
      (7_261_000 + ROCKS.read + ROCKS.write) + 3_006_000 + (4_747_000 + ROCKS.read + ROCKS.write),
    3_509 + 3_593 + 1_489,
  ],
  ['`ChargeAssetTxPayment` inside `SkipCheckIfFeeless` (charged, then skipped)', 40_645_000 + db(1, 1), 3_593],
  ['`ExtrinsicBaseWeight`', BASE_EXTRINSIC, 0],
];
const EXTENSIONS_OTHER = beatParts[3][1] + beatParts[4][1]; // every signed call pays these
const EXTENSIONS_OTHER_PROOF = beatParts[3][2] + beatParts[4][2];

// A signed extrinsic's bytes besides its call: length prefix (2), version (1), MultiAddress::Id
// (33), sr25519 MultiSignature (65), mortal era (2), nonce (4 once an operator has beaten for
// four months), tip 0 (1), no fee asset (1).
const SIGNED_OVERHEAD = 2 + 1 + 33 + 65 + 2 + 4 + 1 + 1;
// pallet and call index (2), node id u64 (8), load and health (2).
const BEAT_BYTES = SIGNED_OVERHEAD + 2 + 8 + 2;
const BEAT = {
  ref: beatParts.reduce((s, p) => s + p[1], 0),
  proof: beatParts.reduce((s, p) => s + p[2], 0) + BEAT_BYTES, // CheckWeight adds the length
  bytes: BEAT_BYTES,
};
// What the quota test counted until spec 116: call, CheckHeartbeat and the base. It now counts
// every extension, as BEAT.ref does.
const BEAT_AS_TESTED = beatParts[0][1] + beatParts[1][1] + beatParts[2][1] + BASE_EXTRINSIC;

// The registry's hook today: sweep_online_nodes(16) plus the two reads per entry it adds.
const SWEEP = 5_613_258 + 10_608_265 * SWEEP_PER_BLOCK + db(2 + 2 * SWEEP_PER_BLOCK, 1 + SWEEP_PER_BLOCK) +
  db(2 * SWEEP_PER_BLOCK);

// ---------------------------------------------------------------------------------------------
// The designs. New calls have no benchmark yet: they are priced from benchmarked pieces of this
// runtime (the same extensions and base, the DbWeight per access, prove_misconduct's compute for
// signature checks), and the per-id work of an attestation at a deliberately generous 0.1 µs.
// ---------------------------------------------------------------------------------------------

// (b) sampled liveness challenges ("pings").
const PING_K = 64; // drawn per block
const PING_DEADLINE = 24; // blocks to answer: three of the worker's 8-block resubmissions
const CHALLENGE_ATTEMPTS = 4; // as the capacity challenges' draw
const PING_ANSWER = {
  // Pool check and call each re-read what check_heartbeat reads; the call clears the open ping.
  ref: BASE_EXTRINSIC + EXTENSIONS_OTHER + 2 * beatParts[2][1] + db(0, 2),
  proof: 2 * 3_738 + EXTENSIONS_OTHER_PROOF,
  bytes: SIGNED_OVERHEAD + 2 + 8 + 8,
};
// A draw tries up to 4 ids (node record and last-seen each) and opens one ping; a later block
// closes it (one read, one write).
const PING_HOOK = db(2 * CHALLENGE_ATTEMPTS, 1) + 10e6 + db(1, 1);

// (c) attested windows, the recommendation.
const SHARD = 4_096; // node ids per shard
const ATTESTORS = 2; // per shard and epoch
const OPENINGS = 4; // sampled openings a block
const ATTESTOR_DOWN = 0.01; // chance an attestor misses a window's attestation
const ATTEST_LAG = 10; // blocks after a window closes within which attestations land
const FALLBACK_QUOTA = 64; // direct beats a block once attested windows are authoritative
const CHURN_PER_DAY = 0.05; // share of nodes that go down a day, for the drop queue
const PER_ID_PS = 100_000; // 0.1 µs per id of a shard: decode, OR, credit, encode
const MERKLE_DEPTH = Math.ceil(Math.log2(SHARD));
const ATTEST = {
  // CheckAttestation: the attestor's draw, the shard's record (4 reads); the call: roster,
  // shard ledger, windows, period totals, capacity, clock (9 reads) and 5 writes.
  ref: BASE_EXTRINSIC + EXTENSIONS_OTHER + db(4) + 20e6 + db(9, 5) + 30e6 + PER_ID_PS * SHARD,
  proof: EXTENSIONS_OTHER_PROOF + SHARD * 8 + SHARD * 10 + 3 * (SHARD / 8) + 4_000,
  bytes: SIGNED_OVERHEAD + 2 + 4 + 8 + 32 + 2 + SHARD / 8 + 1,
};
const OPENING = {
  // Two sr25519 checks are what prove_misconduct's 171 µs of compute covers; one is needed.
  ref: BASE_EXTRINSIC + EXTENSIONS_OTHER + db(3) + 10e6 + 171_415_000 + db(4, 2),
  proof: EXTENSIONS_OTHER_PROOF + 4 * 2_600,
  bytes: SIGNED_OVERHEAD + 2 + 4 + 8 + 2 + 2 + 64 + 1 + 32 * MERKLE_DEPTH,
};
const OPENING_HOOK = db(3, 1) + 10e6 + db(1, 1); // draw, then close or report
// Drops found by attestations are checked for committed work like today's sweep, 16 a block.
const DROP_QUEUE_HOOK = SWEEP;

function designToday(n, windowBlocks = WINDOW_BLOCKS) {
  const demanded = n / windowBlocks;
  const included = Math.min(demanded, QUOTA);
  return {
    txDemanded: demanded,
    tx: included,
    normal: included * BEAT.ref,
    hook: SWEEP,
    proof: included * BEAT.proof,
    bytes: included * BEAT.bytes,
  };
}

function stretchedWindow(n) {
  return Math.min(MAX_WINDOW_BLOCKS, Math.max(WINDOW_BLOCKS, Math.ceil(n / QUOTA)));
}

function designPings(n) {
  return {
    txDemanded: PING_K,
    tx: PING_K,
    normal: PING_K * PING_ANSWER.ref,
    hook: PING_K * PING_HOOK,
    proof: PING_K * PING_ANSWER.proof,
    bytes: PING_K * PING_ANSWER.bytes,
  };
}

function designAttested(n) {
  const shards = Math.ceil(n / SHARD);
  const attestations = (ATTESTORS * shards) / WINDOW_BLOCKS;
  // Nodes whose both attestors missed the window beat directly, priced as today's beat.
  const fallback = Math.min(FALLBACK_QUOTA, (n * ATTESTOR_DOWN ** 2) / WINDOW_BLOCKS);
  const attestorDraws = (ATTESTORS * shards) / BLOCKS_PER_DAY;
  return {
    txDemanded: attestations + OPENINGS + fallback,
    tx: attestations + OPENINGS + fallback,
    normal: attestations * ATTEST.ref + OPENINGS * OPENING.ref + fallback * BEAT.ref,
    hook: OPENINGS * OPENING_HOOK + DROP_QUEUE_HOOK + attestorDraws * PING_HOOK,
    proof: attestations * ATTEST.proof + OPENINGS * OPENING.proof + fallback * BEAT.proof,
    bytes: attestations * ATTEST.bytes + OPENINGS * OPENING.bytes + fallback * BEAT.bytes,
  };
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo.
// ---------------------------------------------------------------------------------------------

const DETECTION_TRIALS = 20_000;
const LOSS_TRIALS = 2_000_000;

// Every agent beats when the window opens (windows are aligned to chain time), so the quota
// serves them in an order the pool's ties leave to chance; a lost beat is sent again once its
// 8-block era has run out.
function todayBeatOffset(n, windowBlocks, loss) {
  let t = 1 + Math.floor((rng() * Math.min(n, QUOTA * windowBlocks)) / QUOTA);
  while (rng() < loss) t += RESUBMIT_BLOCKS;
  return t;
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { mean, p95: percentile(sorted, 0.95) };
}

// Blocks from a node's death to Offline, and to the offence if it held acknowledged tasks.
function detectToday(n, windowBlocks) {
  const offline = [];
  const offence = [];
  for (let i = 0; i < DETECTION_TRIALS; i += 1) {
    const w0 = 10;
    const death = w0 * windowBlocks + rng() * windowBlocks;
    let last = w0;
    if (w0 * windowBlocks + todayBeatOffset(n, windowBlocks, 0) >= death) last = w0 - 1;
    const off = (last + 2) * windowBlocks - death;
    offline.push(off);
    // The sweep's cursor is anywhere in the index when the node turns Offline.
    offence.push(off + rng() * (n / SWEEP_PER_BLOCK));
  }
  return { offline: summarize(offline), offence: summarize(offence) };
}

function detectPings(n) {
  const offline = [];
  const p = Math.min(1, PING_K / n);
  for (let i = 0; i < DETECTION_TRIALS; i += 1) {
    const wait = p >= 1 ? 1 : Math.ceil(Math.log(1 - rng()) / Math.log(1 - p));
    offline.push(wait + PING_DEADLINE);
  }
  const s = summarize(offline);
  return { offline: s, offence: s };
}

function detectAttested(n) {
  const offline = [];
  const offence = [];
  const dropsPerWindow = (n * CHURN_PER_DAY) / (BLOCKS_PER_DAY / WINDOW_BLOCKS);
  for (let i = 0; i < DETECTION_TRIALS; i += 1) {
    const w0 = 10;
    const death = w0 * WINDOW_BLOCKS + rng() * WINDOW_BLOCKS;
    // The beat reaches an attestor in the window's first blocks (it is retried every block).
    const beatAt = w0 * WINDOW_BLOCKS + 1 + Math.floor(rng() * 3);
    const last = beatAt < death ? w0 : w0 - 1;
    // The attestation of the first window it missed shows its bit clear.
    const lag = 1 + Math.floor(rng() * ATTEST_LAG);
    const off = (last + 2) * WINDOW_BLOCKS + lag - death;
    offline.push(off);
    offence.push(off + rng() * (dropsPerWindow / SWEEP_PER_BLOCK));
  }
  return { offline: summarize(offline), offence: summarize(offence) };
}

// Beyond the quota a live node's beat gets into a given window with probability quota / demand.
// At a random block it is Online if it got into the previous window, or into this one already.
function shownOfflineSaturated(n) {
  const q = (QUOTA * WINDOW_BLOCKS) / n;
  let offline = 0;
  for (let i = 0; i < DETECTION_TRIALS; i += 1) {
    const now = rng();
    const online = rng() < q || (rng() < q && rng() < now);
    if (!online) offline += 1;
  }
  return offline / DETECTION_TRIALS;
}

// Chance per event (window or ping) that a node that never went down is shown Offline, when each
// submission is lost with probability `loss`.
function missToday(loss) {
  let misses = 0;
  for (let i = 0; i < LOSS_TRIALS; i += 1) {
    if (todayBeatOffset(10_000, WINDOW_BLOCKS, loss) >= WINDOW_BLOCKS) misses += 1;
  }
  return misses / LOSS_TRIALS;
}

function missPing(loss) {
  const attempts = Math.ceil(PING_DEADLINE / RESUBMIT_BLOCKS);
  let misses = 0;
  for (let i = 0; i < LOSS_TRIALS; i += 1) {
    let answered = false;
    for (let a = 0; a < attempts && !answered; a += 1) answered = rng() >= loss;
    if (!answered) misses += 1;
  }
  return misses / LOSS_TRIALS;
}

function missAttested(loss) {
  // The agent posts to both attestors every block until one signs a receipt; without one by
  // block 80 it beats directly (three tries before the window ends).
  const postTries = 79;
  const directTries = 3;
  let misses = 0;
  for (let i = 0; i < LOSS_TRIALS; i += 1) {
    let received = false;
    for (let a = 0; a < ATTESTORS && !received; a += 1) {
      if (rng() < ATTESTOR_DOWN) continue;
      for (let t = 0; t < postTries && !received; t += 1) received = rng() >= loss;
    }
    if (received) continue;
    let direct = false;
    for (let t = 0; t < directTries && !direct; t += 1) direct = rng() >= loss;
    if (!direct) misses += 1;
  }
  return misses / LOSS_TRIALS;
}

// Windows until a sampled opening lands on one of an attestor's fake bits.
function catchAttestor(n, fakeShare) {
  const shards = Math.ceil(n / SHARD);
  const openingsPerWindow = OPENINGS * WINDOW_BLOCKS;
  const samples = [];
  for (let i = 0; i < DETECTION_TRIALS; i += 1) {
    let windows = 0;
    let caught = false;
    while (!caught) {
      windows += 1;
      for (let o = 0; o < openingsPerWindow && !caught; o += 1) {
        caught = rng() < 1 / shards && rng() < fakeShare;
      }
    }
    samples.push(windows);
  }
  return summarize(samples);
}

// ---------------------------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------------------------

const int = (x) => Math.round(x).toLocaleString('en-US');
const us = (ps) => (ps / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const ms = (ps) => (ps / 1e9).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const pct = (x, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const sci = (x) => (x === 0 ? '0' : x.toExponential(1));
const hours = (blocks) => (blocks / BLOCKS_PER_HOUR).toFixed(1);
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
const print = (title, body) => console.log(`### ${title}\n\n${body}\n`);

const SIZES = [10_000, 100_000, 1_000_000];

print(
  'One heartbeat as the runtime charges it',
  table(
    ['part', 'ref_time µs', 'proof bytes'],
    [
      ...beatParts.map(([name, ref, proof]) => [name, us(ref), int(proof)]),
      ['length (CheckWeight adds it to the proof)', '', int(BEAT.bytes)],
      ['**total charged**', `**${us(BEAT.ref)}**`, `**${int(BEAT.proof)}**`],
      ['what the quota test counted until spec 116 (call, `CheckHeartbeat`, base)', us(BEAT_AS_TESTED), ''],
    ],
  ),
);

const perBlockAtQuota = QUOTA * BEAT.ref;
const beatsInNormal = Math.floor(NORMAL_REF_TIME / BEAT.ref);
const beatsInHalf = Math.floor(NORMAL_REF_TIME / 2 / BEAT.ref);
print(
  "Where today's design saturates (10-minute windows, 100 blocks)",
  table(
    ['limit', 'beats a block', 'nodes served'],
    [
      [`quota (\`MaxHeartbeatsPerBlock\` = ${QUOTA}): ${pct(perBlockAtQuota / NORMAL_REF_TIME)} of the normal class`, int(QUOTA), int(QUOTA * WINDOW_BLOCKS)],
      ['half the normal class (what the quota test asserts, every extension counted)', int(beatsInHalf), int(beatsInHalf * WINDOW_BLOCKS)],
      ['the whole normal class (1.5 s), nothing else in the block', int(beatsInNormal), int(beatsInNormal * WINDOW_BLOCKS)],
      ['normal-class length (3.75 MiB)', int(NORMAL_LENGTH / BEAT.bytes), int((NORMAL_LENGTH / BEAT.bytes) * WINDOW_BLOCKS)],
      [`a validator's pool (${int(POOL_LIMIT)} transactions) at the window's first block`, '', int(POOL_LIMIT)],
      ['quota with the longest window governance may set (1 day)', int(QUOTA), int(QUOTA * MAX_WINDOW_BLOCKS)],
    ],
  ),
);

const loadRows = [];
for (const n of SIZES) {
  const w = stretchedWindow(n);
  // (a') is (a) until the register outgrows the quota.
  const designs = [
    ['(a) beats, 10-min window', designToday(n)],
    [`(a') beats, window ${int(w)} blocks`, w > WINDOW_BLOCKS ? designToday(n, w) : null],
    [`(b) pings, k = ${PING_K}`, designPings(n)],
    ['(c) attested windows', designAttested(n)],
  ];
  for (const [name, d] of designs.filter(([, d]) => d)) {
    const tx = d.txDemanded > d.tx + 1e-9 ? `${int(d.txDemanded)} → ${int(d.tx)}` : d.tx < 10 ? d.tx.toFixed(2) : int(d.tx);
    loadRows.push([
      int(n),
      name,
      tx,
      `${ms(d.normal)} (${pct(d.normal / NORMAL_REF_TIME)})`,
      ms(d.hook),
      int(d.proof / 1024),
      `${int(d.bytes)} (${pct(d.bytes / NORMAL_LENGTH, 2)})`,
    ]);
  }
}
print(
  'Liveness load per block',
  table(
    ['nodes', 'design', 'tx a block (demanded → included)', 'normal-class ms (share of 1.5 s)', 'hook ms', 'proof KiB', 'bytes (share of 3.75 MiB)'],
    loadRows,
  ),
);

// Where (c) reaches a tenth of the normal class: its load is affine in N.
const c0 = designAttested(0).normal;
const slope = (designAttested(10_000_000).normal - designAttested(1_000_000).normal) / 9_000_000;
const pingsPerWeek = (n) => (PING_K * WINDOWS_PER_WEEK * WINDOW_BLOCKS) / n;
console.log(
  `Attested windows: ${ms(c0)} ms a block at any size plus ${(slope / 1e3).toFixed(1)} ns per node; ` +
    `a tenth of the normal class at about ${int((0.1 * NORMAL_REF_TIME - c0) / slope / 1e6)} million nodes.\n` +
    `Pings at k = ${PING_K}: ${SIZES.map((n) => `${pingsPerWeek(n).toFixed(1)}`).join(', ')} checks per node and week at ` +
    `${SIZES.map(int).join(', ')} nodes (k × blocks to detection ≈ N for any sampling design).\n`,
);

const detectRows = [];
for (const n of SIZES) {
  const w = stretchedWindow(n);
  const cases = [
    ['(a) beats, 10-min window', n <= QUOTA * WINDOW_BLOCKS ? detectToday(n, WINDOW_BLOCKS) : null],
    [`(a') beats, window ${int(w)} blocks`, w > WINDOW_BLOCKS ? detectToday(n, w) : undefined],
    [`(b) pings, k = ${PING_K}`, detectPings(n)],
    ['(c) attested windows', detectAttested(n)],
  ];
  for (const [name, r] of cases.filter(([, r]) => r !== undefined)) {
    if (!r) {
      detectRows.push([int(n), name, `saturated: ${pct(shownOfflineSaturated(n), 0)} of live nodes shown Offline`, '', '']);
      continue;
    }
    detectRows.push([
      int(n),
      name,
      `${int(r.offline.mean)} / ${int(r.offline.p95)}`,
      `${int(r.offence.mean)} / ${int(r.offence.p95)}`,
      `${hours(r.offline.mean)} / ${hours(r.offence.mean)}`,
    ]);
  }
}
print(
  `Detection of a node that goes down (Monte Carlo, ${int(DETECTION_TRIALS)} deaths each)`,
  table(['nodes', 'design', 'blocks to Offline, mean / p95', 'blocks to offence, mean / p95', 'hours, Offline / offence'], detectRows),
);

const LOSSES = [0.01, 0.05, 0.2];
const lossRows = [];
const attemptsPing = Math.ceil(PING_DEADLINE / RESUBMIT_BLOCKS);
for (const loss of LOSSES) {
  const a = missToday(loss);
  const b = missPing(loss);
  const c = missAttested(loss);
  const cExact = (ATTESTOR_DOWN + (1 - ATTESTOR_DOWN) * loss ** 79) ** 2 * loss ** 3;
  lossRows.push([
    pct(loss, 0),
    `${sci(a)} → ${sci(1 - (1 - a) ** WINDOWS_PER_WEEK)}`,
    `${sci(b)} (${sci(loss ** attemptsPing)}) → ${sci(1 - (1 - b) ** pingsPerWeek(1_000_000))} / ${sci(1 - (1 - b) ** pingsPerWeek(10_000))}`,
    `${sci(c)} (${sci(cExact)}) → ${sci(1 - (1 - c) ** WINDOWS_PER_WEEK)}`,
  ]);
}
print(
  `False Offline under packet loss (Monte Carlo, ${int(LOSS_TRIALS)} events each; exact in brackets)`,
  table(
    [
      'loss per submission',
      '(a) per window → per week (10,000 nodes)',
      '(b) per ping → per week (1M / 10k nodes)',
      '(c) per window → per week',
    ],
    lossRows,
  ),
);
console.log(
  `(a) at 100,000 and 1,000,000 nodes the quota alone misses ${pct(1 - (QUOTA * WINDOW_BLOCKS) / 100_000, 0)} and ` +
    `${pct(1 - (QUOTA * WINDOW_BLOCKS) / 1_000_000, 0)} of windows, whatever the loss.\n`,
);

const cheatRows = [];
for (const n of SIZES) {
  const shards = Math.ceil(n / SHARD);
  const row = [int(n), int(shards), ((OPENINGS * WINDOW_BLOCKS) / shards).toFixed(1)];
  for (const share of [0.01, 0.1]) {
    const r = catchAttestor(n, share);
    row.push(`${r.mean.toFixed(1)} / ${int(r.p95)} (${(r.mean / 6).toFixed(1)} h)`);
  }
  cheatRows.push(row);
}
print(
  `An attestor that sets bits it holds no signed beat for (${OPENINGS} openings a block; Monte Carlo)`,
  table(['nodes', 'shards', 'openings per shard and window', 'windows to catch 1% fake, mean / p95', 'windows to catch 10% fake'], cheatRows),
);
