// The load tool's command line. Every option has a default a dev node can take, so
// `node load/run.mjs --url ws://127.0.0.1:9944` alone runs the mixed traffic at rising rates.

export const KINDS = ['transfers', 'heartbeats', 'tasks', 'locks', 'swaps', 'mix'];

/** Share of each kind in `--kind mix`, in transactions; `--mix` overrides it. */
export const DEFAULT_MIX = { transfers: 4, heartbeats: 2, tasks: 2, locks: 1, swaps: 1 };

export const USAGE = `usage: node load/run.mjs [options]

  --url URL[,URL...]   node(s) to submit to, round-robin (repeatable; default $VCITY_WS or
                       ws://127.0.0.1:9944); blocks and finality are read from the first
  --kind KIND          ${KINDS.join('|')} (default mix)
  --rates R1,R2,...    offered transactions per second, one step each (default 50,100,200,400)
  --step-blocks N      blocks each step lasts (default 5)
  --drain-blocks N     blocks to wait after the last step for inclusion and finality (default 10)
  --accounts N         funded sender accounts //<tag>//user//<i> (default 200)
  --nodes N            compute nodes that heartbeat, each with its own operator key
                       (heartbeats and mix; default 2500)
  --task-nodes N       8-GPU compute nodes that take the load's tasks (tasks and mix; default 40)
  --fund VCAI          VCAI each sender account is topped up to (default 200)
  --mix k=w,...        shares of the kinds in mix (default ${Object.entries(DEFAULT_MIX).map(([k, w]) => `${k}=${w}`).join(',')})
  --tag NAME           root of the derived keys, //NAME (default load): runs with the same tag
                       reuse the accounts and nodes an earlier run funded and registered
  --out FILE.json      write every figure (steps, total, blocks) as JSON
  --md FILE.md         write the report with the per-block table as markdown
  --watch-every N      follow every Nth submission in the pool (submitAndWatch) to learn why
                       transactions it took never reached a block (default 25; 0: none)
  --no-events          do not read each block's events (no dispatch failures, no tasks)
  --quiet              no line per block while running
  --selftest           only measure this tool: sign --count transactions of --kind transfers
                       and report signatures per second; with --submit, send them too
  --count N            transactions the self-test signs (default 3000)
  --submit             the self-test also submits what it signed and reports the rate
`;

function positive(name, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} wants a positive number, got ${value}`);
  return n;
}

export function parseOptions(argv) {
  const options = {
    urls: [],
    kind: 'mix',
    rates: [50, 100, 200, 400],
    stepBlocks: 5,
    drainBlocks: 10,
    accounts: 200,
    nodes: 2500,
    taskNodes: 40,
    fund: 200,
    mix: { ...DEFAULT_MIX },
    tag: 'load',
    out: null,
    md: null,
    events: true,
    watchEvery: 25,
    quiet: false,
    selftest: false,
    count: 3000,
    submit: false,
  };
  const args = [...argv];
  while (args.length > 0) {
    let arg = args.shift();
    let value;
    if (arg.includes('=') && arg.startsWith('--')) [arg, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    const take = () => {
      if (value !== undefined) return value;
      if (args.length === 0) throw new Error(`${arg} needs a value`);
      return args.shift();
    };
    switch (arg) {
      case '--url': options.urls.push(...take().split(',').filter(Boolean)); break;
      case '--kind': options.kind = take(); break;
      case '--rates': options.rates = take().split(',').map((r) => positive('rates', r)); break;
      case '--step-blocks': options.stepBlocks = positive('step-blocks', take()); break;
      case '--drain-blocks': options.drainBlocks = Number(take()); break;
      case '--accounts': options.accounts = positive('accounts', take()); break;
      case '--nodes': options.nodes = Number(take()); break;
      case '--task-nodes': options.taskNodes = Number(take()); break;
      case '--fund': options.fund = positive('fund', take()); break;
      case '--mix':
        options.mix = Object.fromEntries(KINDS.filter((k) => k !== 'mix').map((k) => [k, 0]));
        for (const part of take().split(',')) {
          const [k, w] = part.split('=');
          if (!(k in options.mix)) throw new Error(`--mix: unknown kind ${k}`);
          options.mix[k] = Number(w);
        }
        break;
      case '--tag': options.tag = take(); break;
      case '--out': options.out = take(); break;
      case '--md': options.md = take(); break;
      case '--watch-every': options.watchEvery = Number(take()); break;
      case '--no-events': options.events = false; break;
      case '--quiet': options.quiet = true; break;
      case '--selftest': options.selftest = true; break;
      case '--count': options.count = positive('count', take()); break;
      case '--submit': options.submit = true; break;
      case '--help': case '-h': options.help = true; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  if (!KINDS.includes(options.kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
  if (options.urls.length === 0) options.urls.push(process.env.VCITY_WS ?? 'ws://127.0.0.1:9944');
  if (!options.events && (options.kind === 'tasks' || (options.kind === 'mix' && options.mix.tasks > 0))) {
    throw new Error('tasks learn their ids from the block events: --no-events leaves them out (use --mix without tasks)');
  }
  return options;
}

/** The kinds a run drives: the one asked for, or those `mix` gives a share. */
export function kindsOf(options) {
  if (options.kind !== 'mix') return [options.kind];
  return Object.entries(options.mix).filter(([, w]) => w > 0).map(([k]) => k);
}
