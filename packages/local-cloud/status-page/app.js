// The status page of the local cloud: polls /_breakwater/api/state and renders it. Plain JavaScript, no build step.
const POLL_MS = 2000;
const WINDOW_MS = 10 * 60 * 1000;

const $ = (id) => document.getElementById(id);

/** Builds an element: h('div', { class: 'x', 'data-testid': 'y' }, child, 'text', ...). */
const h = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style' && typeof value === 'object') Object.assign(element.style, value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
};

const ago = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
};

const clock = (iso) =>
  typeof iso === 'string' ? (iso.split('T')[1] ?? iso).replace('Z', '').slice(0, 12) : '';

const stateLabel = (state) => String(state).replace('_', '-').toLowerCase();

/** The app's resource-name prefix (`state.page.namePrefix`, e.g. `^myapp-[a-z]+-`), dropped where names are shown. */
let namePrefix = null;
/** What the trace panel calls what it follows (`state.page.trace.label`). */
let traceLabel = 'request';
const shorten = (name) => (namePrefix ? String(name).replace(namePrefix, '') : String(name));

/** The page names the app it shows (`state.page.title`). */
const applyLook = (page) => {
  namePrefix = page?.namePrefix ? new RegExp(page.namePrefix) : null;
  const title = page?.title ?? 'Local cloud';
  if ($('app-title').textContent !== title) {
    $('app-title').textContent = title;
    document.title = `${title} · local cloud status`;
  }
  // The trace panel follows the app's own entity by its log key when the app names one, else requests.
  const { label = 'request', keyField = null } = page?.trace ?? {};
  const by = keyField ? `${label} id or correlation id` : 'correlation id';
  $('trace-title').textContent = `Trace ${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}`;
  $('trace-hint').textContent = `by ${by}, across every function's logs`;
  $('trace-id').placeholder = by;
  traceLabel = label;
};

/** Friendly names for the generated queue names, from what each queue is to the functions and rules. */
const queueNames = (topology) => {
  const names = new Map();
  const consumerOf = new Map();
  for (const fn of topology.functions) for (const q of fn.queues) consumerOf.set(q, fn.service);
  for (const [queue, service] of consumerOf) names.set(queue, `${service} queue`);
  for (const q of topology.queues) {
    if (q.deadLetterQueue && consumerOf.has(q.name))
      names.set(q.deadLetterQueue, `${consumerOf.get(q.name)} DLQ`);
  }
  for (const rule of topology.rules) {
    for (const t of rule.targets) {
      if (!t.deadLetterQueue) continue;
      const owner = t.kind === 'queue' ? consumerOf.get(t.name) : serviceOf(topology, t.name);
      if (owner && !names.has(t.deadLetterQueue)) names.set(t.deadLetterQueue, `${owner} target DLQ`);
    }
  }
  for (const fn of topology.functions) {
    for (const s of fn.streams) if (s.onFailure) names.set(s.onFailure, `${fn.service} failure DLQ`);
    if (fn.deadLetterQueue && !names.has(fn.deadLetterQueue))
      names.set(fn.deadLetterQueue, `${fn.service} DLQ`);
  }
  return (name) => names.get(name) ?? shorten(name);
};

const serviceOf = (topology, functionName) =>
  topology.functions.find((f) => f.name === functionName)?.service ?? functionName;

const sparkline = (values) => {
  if (!values || values.length < 2) return null;
  const max = Math.max(1, ...values);
  const w = 120;
  const hgt = 24;
  const step = w / (values.length - 1);
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(hgt - (v / max) * (hgt - 2) - 1).toFixed(1)}`,
  );
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('class', 'spark');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  return svg;
};

const queueNode = (name, label, depths, kind) => {
  const depth = depths.get(name);
  const visible = depth?.visible ?? 0;
  const busy = kind === 'dlq' ? visible > 0 : visible > 0 || (depth?.inFlight ?? 0) > 0;
  return h(
    'div',
    {
      class: `node ${kind} ${kind === 'dlq' && visible > 0 ? 'alert' : ''} ${busy ? 'busy' : ''}`,
      'data-queue': name,
      title: name,
    },
    h('div', { class: 'node-kind' }, kind === 'dlq' ? 'DLQ' : 'queue'),
    h('div', { class: 'node-name' }, label),
    h(
      'div',
      { class: 'depth' },
      h('span', { class: 'depth-value', 'data-testid': 'depth' }, visible),
      h('span', { class: 'depth-unit' }, visible === 1 ? 'message' : 'messages'),
      depth && depth.inFlight > 0 ? h('span', { class: 'inflight' }, `${depth.inFlight} in flight`) : null,
      depth && depth.delayed > 0 ? h('span', { class: 'inflight' }, `${depth.delayed} delayed`) : null,
    ),
    kind === 'queue' ? sparkline(depth?.history) : null,
  );
};

const functionNode = (service, name) =>
  h(
    'div',
    { class: 'node fn', title: name },
    h('div', { class: 'node-kind' }, 'function'),
    h('div', { class: 'node-name' }, service),
  );

const sourceNode = (kind, title, detail) =>
  h(
    'div',
    { class: 'node source' },
    h('div', { class: 'node-kind' }, kind),
    h('div', { class: 'node-name' }, title),
    detail ? h('div', { class: 'node-detail' }, detail) : null,
  );

const arrow = () => h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→');

const renderFlows = (topology, queues) => {
  const container = $('flows');
  if (!topology) {
    container.replaceChildren(h('p', { class: 'muted' }, 'topology not available'));
    return;
  }
  const depths = new Map(queues.map((q) => [q.name, q]));
  const label = queueNames(topology);
  const byName = new Map(topology.queues.map((q) => [q.name, q]));
  const rows = [];
  const dlqs = (...names) => {
    const present = names.filter(Boolean);
    return present.length === 0
      ? null
      : h('div', { class: 'dlqs' }, ...present.map((n) => queueNode(n, label(n), depths, 'dlq')));
  };
  for (const rule of topology.rules) {
    for (const target of rule.targets) {
      const ruleBox = rule.schedule
        ? sourceNode('schedule', shorten(rule.name), rule.schedule)
        : sourceNode(`rule · ${rule.eventBus}`, shorten(rule.name), rule.detailTypes.join(', '));
      if (target.kind === 'queue') {
        const consumers = topology.functions.filter((f) => f.queues.includes(target.name));
        rows.push(
          h(
            'div',
            {
              class: 'flow-row',
              'data-testid': 'flow',
              'data-flow': consumers.map((c) => c.service).join(','),
            },
            ruleBox,
            arrow(),
            queueNode(target.name, label(target.name), depths, 'queue'),
            arrow(),
            ...consumers.map((c) => functionNode(c.service, c.name)),
            dlqs(byName.get(target.name)?.deadLetterQueue, target.deadLetterQueue),
          ),
        );
      } else {
        const fn = topology.functions.find((f) => f.name === target.name);
        rows.push(
          h(
            'div',
            { class: 'flow-row', 'data-testid': 'flow', 'data-flow': fn?.service ?? target.name },
            ruleBox,
            arrow(),
            functionNode(fn?.service ?? target.name, target.name),
            dlqs(
              target.deadLetterQueue,
              fn?.deadLetterQueue !== target.deadLetterQueue ? fn?.deadLetterQueue : undefined,
            ),
          ),
        );
      }
    }
  }
  for (const fn of topology.functions) {
    for (const stream of fn.streams) {
      rows.push(
        h(
          'div',
          { class: 'flow-row', 'data-testid': 'flow', 'data-flow': fn.service },
          sourceNode(
            'DynamoDB stream',
            // A generated table name, `<stack>-<LogicalId><hash8>-<suffix>`: the logical id is the name people know.
            shorten(stream.table)
              .replace(/-[A-Z0-9]{8,}$/, '')
              .replace(/[0-9A-F]{8}$/, ''),
            'INSERTs',
          ),
          arrow(),
          functionNode(fn.service, fn.name),
          dlqs(stream.onFailure),
        ),
      );
    }
  }
  const triggered = new Set(
    topology.functions.filter((f) => f.queues.length > 0 || f.streams.length > 0).map((f) => f.name),
  );
  for (const rule of topology.rules)
    for (const t of rule.targets) if (t.kind === 'function') triggered.add(t.name);
  const others = topology.functions.filter((f) => !triggered.has(f.name));
  if (others.length > 0) {
    rows.push(
      h(
        'div',
        { class: 'flow-row others' },
        sourceNode('other', 'HTTP API or by hand', ''),
        arrow(),
        ...others.map((f) => functionNode(f.service, f.name)),
      ),
    );
  }
  container.replaceChildren(...rows);
};

const renderCircuits = (circuits, now, sampledSince) => {
  const container = $('circuits');
  if (circuits.length === 0) {
    container.replaceChildren(h('p', { class: 'muted' }, 'no circuit has been written yet (all CLOSED)'));
    return;
  }
  // The window: since sampling began, at least a minute, at most ten.
  const earliest = Math.min(sampledSince ?? now, ...circuits.flatMap((c) => c.spans.map((s) => s.from)));
  const windowMs = Math.min(WINDOW_MS, Math.max(60_000, now - earliest));
  const start = now - windowMs;
  $('circuit-window').textContent = `state over the last ${ago(windowMs)}`;
  container.replaceChildren(
    ...circuits.map((c) => {
      const state = c.current.state;
      const bar = h('div', { class: 'timeline' });
      for (const span of c.spans) {
        const from = Math.max(span.from, start);
        const to = Math.min(span.to ?? now, now);
        if (to <= start || to <= from) continue;
        bar.append(
          h('div', {
            class: `seg s-${span.state}`,
            title: `${stateLabel(span.state)} from ${new Date(span.from).toLocaleTimeString()}${span.to ? ` to ${new Date(span.to).toLocaleTimeString()}` : ''}: ${span.reason}`,
            style: {
              left: `${((from - start) / windowMs) * 100}%`,
              width: `${Math.max(0.4, ((to - from) / windowMs) * 100)}%`,
            },
          }),
        );
      }
      const cooldown = state === 'OPEN' && c.current.openUntil ? c.current.openUntil - now : undefined;
      return h(
        'div',
        { class: 'circuit', 'data-testid': `circuit-${c.circuitId}` },
        h(
          'div',
          { class: 'circuit-head' },
          h('span', { class: 'circuit-id' }, c.circuitId),
          h('span', { class: `pill state s-${state}`, 'data-testid': 'circuit-state' }, state),
          h('span', { class: 'muted' }, c.current.since > 0 ? `for ${ago(now - c.current.since)}` : ''),
          cooldown !== undefined && cooldown > 0
            ? h('span', { class: 'muted' }, `· probes in ${ago(cooldown)}`)
            : null,
          h(
            'span',
            { class: 'muted right' },
            `${c.transitions} transition${c.transitions === 1 ? '' : 's'} · v${c.current.version}`,
          ),
        ),
        bar,
        h(
          'div',
          { class: 'axis' },
          h('span', {}, new Date(start).toLocaleTimeString()),
          h('span', {}, 'now'),
        ),
        h('div', { class: 'reason' }, c.current.reason || '—'),
      );
    }),
  );
};

const renderGateway = (gateway) => {
  const container = $('gateway');
  const pill = $('gateway-state');
  if (!gateway) {
    container.replaceChildren(h('p', { class: 'muted' }, 'gateway not available'));
    return;
  }
  pill.textContent = gateway.outage ? 'OUTAGE' : 'up';
  pill.className = `pill ${gateway.outage ? 'pill-bad' : 'pill-good'}`;
  const outcomes = Object.entries(gateway.byOutcome)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...outcomes.map(([, n]) => n));
  const config = gateway.config ?? {};
  const knobs = [
    ['failure rate', `${Math.round((config.failureRate ?? 0) * 100)}%`],
    ['latency', `${config.latencyMs ?? 0} ms`],
    ['timeouts', `${Math.round((config.timeoutRate ?? 0) * 100)}%`],
    ['declines', `${Math.round((config.declineRate ?? 0) * 100)}%`],
  ];
  container.replaceChildren(
    h(
      'div',
      { class: 'big-number' },
      h('span', { 'data-testid': 'gateway-requests' }, gateway.requests),
      h('span', { class: 'muted' }, ' charge requests'),
    ),
    h(
      'div',
      { class: 'bars' },
      outcomes.length === 0
        ? h('p', { class: 'muted' }, 'no charge yet')
        : outcomes.map(([outcome, n]) =>
            h(
              'div',
              { class: 'bar-row' },
              h('span', { class: 'bar-label' }, outcome),
              h(
                'span',
                { class: 'bar-track' },
                h('span', { class: `bar-fill o-${outcome}`, style: { width: `${(n / max) * 100}%` } }),
              ),
              h('span', { class: 'bar-value' }, n),
            ),
          ),
    ),
    h(
      'div',
      { class: 'knobs' },
      ...knobs.map(([k, v]) => h('span', { class: 'knob' }, h('b', {}, v), ` ${k}`)),
    ),
  );
};

const renderOptional = (id, section, render, empty) => {
  const container = $(id);
  if (!section.available) {
    container.replaceChildren(h('p', { class: 'muted unavailable' }, section.why));
    return;
  }
  container.replaceChildren(
    ...(section.items.length === 0 ? [h('p', { class: 'muted' }, empty)] : render(section.items)),
  );
};

/** `breakwater-dev-page` → `page`: the severity an alarm's topic stands for. */
const severityOf = (topic) => /-(page|notice)$/.exec(topic)?.[1] ?? topic;

const renderAlarms = (alarms) => {
  const firing = alarms.available ? alarms.items.filter((a) => a.state === 'ALARM').length : 0;
  $('alarm-summary').textContent = alarms.available ? `${firing} in ALARM of ${alarms.items.length}` : '';
  const rank = (a) => (a.state === 'ALARM' ? 0 : a.state === 'INSUFFICIENT_DATA' ? 2 : 1);
  renderOptional(
    'alarms',
    alarms,
    (items) => [
      h(
        'ul',
        { class: 'list' },
        ...[...items]
          .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
          .map((a) => {
            const name = shorten(a.name);
            return h(
              'li',
              { class: `alarm a-${a.state}`, 'data-testid': `alarm-${name}`, title: a.reason ?? '' },
              h(
                'span',
                { class: `pill a-${a.state}`, 'data-testid': 'alarm-state' },
                a.state === 'INSUFFICIENT_DATA' ? 'NO DATA' : a.state,
              ),
              h('span', { class: 'alarm-name' }, name),
              ...(a.topics ?? []).map((t) => h('span', { class: `tag t-${severityOf(t)}` }, severityOf(t))),
            );
          }),
      ),
    ],
    'no alarms',
  );
};

const renderNotifications = (notifications) =>
  renderOptional(
    'notifications',
    notifications,
    (items) => [
      h(
        'ul',
        { class: 'list' },
        ...[...items]
          .reverse()
          .slice(0, 30)
          .map((n) =>
            h(
              'li',
              { 'data-testid': 'notification', title: n.message },
              h('span', { class: 'muted' }, clock(n.at)),
              h('span', { class: `tag t-${severityOf(n.topic)}` }, severityOf(n.topic)),
              h(
                'span',
                { class: 'notification-text' },
                (n.subject ?? n.message).replace(/ in [A-Z][\w .()-]+$/, ''),
              ),
            ),
          ),
      ),
    ],
    'nothing published yet',
  );

const renderTrace = (path) => {
  const container = $('trace');
  if (path.steps.length === 0) {
    container.replaceChildren(h('p', { class: 'muted' }, `nothing in the function logs for ${path.query}`));
    return;
  }
  container.replaceChildren(
    h(
      'p',
      { class: 'muted' },
      `${path.keys.length > 0 ? `${traceLabel} ${path.keys.join(', ')} · ` : ''}correlation ${path.correlationIds.join(', ') || '?'}`,
    ),
    h(
      'ol',
      { class: 'trace' },
      ...path.steps.map((step) =>
        h(
          'li',
          { class: `step l-${step.level}` },
          h(
            'div',
            { class: 'step-head' },
            h('span', { class: 'node-name' }, step.function),
            h('span', { class: 'muted' }, `${clock(step.first)} – ${clock(step.last)}`),
          ),
          h(
            'ul',
            { class: 'entries' },
            ...step.entries
              .slice(-8)
              .map((e) =>
                h(
                  'li',
                  {},
                  h('span', { class: 'muted' }, clock(e.time)),
                  h('span', { class: `lvl l-${e.level}` }, e.level),
                  e.message,
                ),
              ),
          ),
        ),
      ),
    ),
  );
};

const renderSummary = (state) => {
  const dlqNames = new Set((state.topology?.queues ?? []).filter((q) => q.role === 'dlq').map((q) => q.name));
  const dead = state.queues.filter((q) => dlqNames.has(q.name)).reduce((sum, q) => sum + q.visible, 0);
  const waiting = state.queues
    .filter((q) => !dlqNames.has(q.name))
    .reduce((sum, q) => sum + q.visible + q.inFlight + q.delayed, 0);
  const notClosed = state.circuits.filter((c) => c.current.state !== 'CLOSED');
  const firing = state.alarms.available
    ? state.alarms.items.filter((a) => a.state === 'ALARM').length
    : undefined;
  const kpi = (label, value, tone, testid) =>
    h(
      'div',
      { class: `kpi ${tone ?? ''}`, 'data-testid': testid },
      h('span', { class: 'kpi-value' }, value),
      h('span', { class: 'kpi-label' }, label),
    );
  $('kpis').replaceChildren(
    kpi('messages in queues', waiting, undefined, 'kpi-queued'),
    kpi('messages in DLQs', dead, dead > 0 ? 'bad' : 'good', 'kpi-dead'),
    kpi(
      'circuits not closed',
      notClosed.length === 0 ? 'none' : notClosed.map((c) => `${c.circuitId} ${c.current.state}`).join(', '),
      notClosed.length > 0 ? 'bad' : 'good',
      'kpi-circuits',
    ),
    kpi('alarms firing', firing ?? '—', firing ? 'bad' : firing === 0 ? 'good' : undefined, 'kpi-alarms'),
  );
};

let lastOk = 0;
const refresh = async () => {
  try {
    const response = await fetch('api/state', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const state = await response.json();
    const now = Date.parse(state.generatedAt);
    lastOk = Date.now();
    applyLook(state.page);
    renderFlows(state.topology, state.queues);
    renderSummary(state);
    renderCircuits(state.circuits, now, state.sampledSince);
    renderGateway(state.gateway);
    renderAlarms(state.alarms);
    renderNotifications(state.notifications);
    $('health').textContent = state.errors.length === 0 ? 'live' : 'degraded';
    $('health').className = `pill ${state.errors.length === 0 ? 'pill-good' : 'pill-warn'}`;
    const errors = $('errors');
    errors.hidden = state.errors.length === 0;
    errors.textContent = state.errors.join(' · ');
    document.body.dataset.loaded = 'true';
  } catch (error) {
    $('health').textContent = 'unreachable';
    $('health').className = 'pill pill-bad';
    $('errors').hidden = false;
    $('errors').textContent = String(error);
  }
  $('updated').textContent = lastOk ? `updated ${new Date(lastOk).toLocaleTimeString()}` : '';
};

$('trace-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = $('trace-id').value.trim();
  if (!id) return;
  const response = await fetch(`api/trace?id=${encodeURIComponent(id)}`, { cache: 'no-store' });
  renderTrace(await response.json());
});

await refresh();
setInterval(refresh, POLL_MS);
