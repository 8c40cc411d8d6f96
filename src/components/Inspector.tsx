/** Every field of the selected object; for a count, its holders, each one selectable. */
import { holdersOf, type Holder } from '../core/refs';
import { assocText, nameOf } from '../core/names';
import type { KernelState, ObjRef } from '../core/types';
import { holderlessNode, type Graph } from '../graph/toGraph';

function holderNode(
  state: KernelState,
  graph: Graph,
  h: Holder,
): { id: string | null; text: string } {
  if (h.kind === 'fd' && h.from) {
    const proc = state.processes[h.from.id];
    const id = proc ? `fd.${proc.name}:${h.fd}` : null;
    return { id, text: `${proc?.name ?? 'pid ?'} fd ${h.fd}` };
  }
  const from = h.from;
  if (!from)
    return {
      id: holderlessNode(h.kind),
      text:
        h.kind === 'inflight'
          ? `syscall in flight (${h.label})`
          : h.kind === 'leaked'
            ? `nobody: ${h.label}`
            : h.label,
    };
  const node = graph.nodes.find(
    (n) => n.ref !== null && n.ref.kind === from.kind && n.ref.id === from.id,
  );
  return { id: node?.id ?? null, text: `${from.kind} ${nameOf(state, from)} (${h.label})` };
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>
        <code>{v}</code>
      </dd>
    </>
  );
}

export function Inspector({
  state,
  graph,
  selected,
  onSelect,
}: {
  state: KernelState;
  graph: Graph;
  selected: string | null;
  onSelect: (id: string | null) => void;
}) {
  const node = graph.nodes.find((n) => n.id === selected);
  if (!node) {
    return (
      <section className="inspector" aria-labelledby="inspector-title" data-testid="inspector">
        <h2 id="inspector-title">Inspector</h2>
        <p className="hint">
          Select an object in the graph (click, or Tab to it and press Enter) to see its fields and
          who holds it.
        </p>
      </section>
    );
  }
  const ref: ObjRef | null = node.ref;
  const holders = ref
    ? holdersOf(state).filter(
        (h) => h.target.kind === ref.kind && h.target.id === ref.id && h.counter === 'refcnt',
      )
    : [];
  const rows: [string, string][] = [];
  if (ref?.kind === 'prog') {
    const p = state.progs[ref.id];
    if (p) {
      rows.push(
        ['id', String(p.id)],
        ['type', p.type],
        ['expected_attach_type', String(p.expected_attach_type ?? '—')],
        ['attach_btf', String(p.attach_btf_name ?? '—')],
      );
      if (p.member) rows.push(['member', p.member]);
      rows.push(
        ['refcnt', String(p.refcnt)],
        ['aux->st_ops_assoc', assocText(state, p.aux.st_ops_assoc)],
        ['lifecycle', p.lifecycle],
        ['run_cnt', String(p.run_cnt)],
      );
      rows.push([
        'used_maps',
        p.aux.used_maps.map((m) => nameOf(state, { kind: 'map', id: m })).join(', ') || '—',
      ]);
      for (const f of p.aux.fixups)
        rows.push([`__prog fix-up`, `${f.kfunc}: arg${f.arg} (${f.param}) ← env->prog->aux`]);
    }
  } else if (ref?.kind === 'map') {
    const m = state.maps[ref.id];
    if (m) {
      rows.push(
        ['id', String(m.id)],
        ['map_type', m.type],
        ['map_flags', m.map_flags.join(' | ') || '0'],
        ['refcnt', String(m.refcnt)],
        ['usercnt', String(m.usercnt)],
        ['lifecycle', m.lifecycle],
      );
      if (m.st) {
        rows.push(['struct_ops', m.st.st_ops], ['kvalue.common.state', m.st.state]);
        m.st.links.forEach((p, i) =>
          rows.push([`links[${i}]`, nameOf(state, { kind: 'prog', id: p })]),
        );
        for (const [k, v] of Object.entries(m.st.kdata.funcs))
          rows.push([`kdata.${k}`, v === null ? 'NULL' : nameOf(state, { kind: 'prog', id: v })]);
        for (const [k, v] of Object.entries(m.st.kdata.fields))
          rows.push([`kdata.${k}`, JSON.stringify(v)]);
        if (m.st.kdata.priv !== null)
          rows.push(['ops->priv', nameOf(state, { kind: 'sched', id: m.st.kdata.priv })]);
      }
      for (const [k, v] of Object.entries(m.entries)) rows.push([`[${k}]`, JSON.stringify(v)]);
    }
  } else if (ref?.kind === 'link') {
    const l = state.links[ref.id];
    if (l) {
      rows.push(
        ['id', String(l.id)],
        ['type', l.type],
        ['refcnt', String(l.refcnt)],
        ['lifecycle', l.lifecycle],
      );
      if (l.type === 'struct_ops')
        rows.push([
          'map',
          l.map === null ? 'NULL (detached)' : nameOf(state, { kind: 'map', id: l.map }),
        ]);
      else
        rows.push(
          ['prog', l.prog === null ? 'NULL' : nameOf(state, { kind: 'prog', id: l.prog })],
          ['target', l.target ?? 'detached'],
        );
    }
  } else if (ref?.kind === 'sched') {
    const s = state.scx.scheds[ref.id];
    if (s) {
      rows.push(
        ['state', s.state],
        ['parent', s.parent === null ? 'root' : nameOf(state, { kind: 'sched', id: s.parent })],
        ['map', nameOf(state, { kind: 'map', id: s.map })],
      );
      if (s.exit) rows.push(['exit', `${s.exit.kind}: ${s.exit.msg}`]);
      rows.push([
        'kicks',
        s.kicks
          .map((k) => `CPU ${k.cpu} ${k.flags} by ${nameOf(state, { kind: 'prog', id: k.prog })}`)
          .join('; ') || '—',
      ]);
    }
  } else if (ref?.kind === 'timer') {
    const t = state.timers[ref.id];
    if (t)
      rows.push(
        ['map', nameOf(state, { kind: 'map', id: t.map })],
        ['key', t.key],
        ['cb->prog', t.prog === null ? 'NULL' : nameOf(state, { kind: 'prog', id: t.prog })],
        ['callback', t.callback ?? 'NULL'],
        ['armed', t.armed ? `yes, expires ${t.expires} ns` : 'no'],
      );
  } else {
    rows.push(['kind', node.kind], ['about', node.subtitle]);
  }
  return (
    <section className="inspector" aria-labelledby="inspector-title" data-testid="inspector">
      <h2 id="inspector-title">
        {`${node.kind} ${node.name}`}
        <button
          type="button"
          className="link-button"
          onClick={() => onSelect(null)}
          aria-label="Close inspector"
        >
          ✕
        </button>
      </h2>
      <dl className="fields">
        {rows.map(([k, v], i) => (
          <Row key={`${k}-${i}`} k={k} v={v} />
        ))}
      </dl>
      {ref && (ref.kind === 'prog' || ref.kind === 'map' || ref.kind === 'link') ? (
        <>
          <h3>{`refcnt ${node.refcnt ?? 0}: held by`}</h3>
          {holders.length === 0 ? (
            <p className="hint">nobody</p>
          ) : (
            <ul className="holders" data-testid="holders">
              {holders.map((h, i) => {
                const hn = holderNode(state, graph, h);
                return (
                  <li key={i}>
                    {hn.id ? (
                      <button type="button" className="link-button" onClick={() => onSelect(hn.id)}>
                        {hn.text}
                      </button>
                    ) : (
                      hn.text
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
