/**
 * What a step changed, net: the difference between the state before and after it, in short
 * phrases (`st_ops_map_a refcnt 1→2`, `syscall_prog_a st_ops_assoc NULL→st_ops_map_a`,
 * `sch1 kicked CPU 0`). Temporary references taken and dropped inside the step cancel out.
 */
import { assocText } from './names';
import type { KernelState, Val } from './types';
import { own } from './own';

function show(v: Val | undefined): string {
  if (v === undefined || v === null) return 'NULL';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function summarizeChange(prev: KernelState, next: KernelState): string[] {
  const out: string[] = [];
  for (const p of Object.values(next.progs)) {
    const q = prev.progs[p.id];
    if (!q) {
      out.push(`+prog ${p.name}`);
      continue;
    }
    if (q.refcnt !== p.refcnt) out.push(`${p.name} refcnt ${q.refcnt}→${p.refcnt}`);
    if (q.aux.st_ops_assoc !== p.aux.st_ops_assoc) {
      out.push(
        `${p.name} st_ops_assoc ${assocText(prev, q.aux.st_ops_assoc)}→${assocText(next, p.aux.st_ops_assoc)}`,
      );
    }
    if (q.lifecycle !== p.lifecycle && p.lifecycle === 'freed') out.push(`${p.name} freed`);
  }
  for (const m of Object.values(next.maps)) {
    const q = prev.maps[m.id];
    if (!q) {
      out.push(`+map ${m.name}`);
      continue;
    }
    if (q.refcnt !== m.refcnt) out.push(`${m.name} refcnt ${q.refcnt}→${m.refcnt}`);
    if (q.usercnt !== m.usercnt) out.push(`${m.name} usercnt ${q.usercnt}→${m.usercnt}`);
    if (q.st && m.st && q.st.state !== m.st.state)
      out.push(`${m.name} ${q.st.state}→${m.st.state}`);
    if (q.lifecycle !== m.lifecycle && m.lifecycle === 'freed') out.push(`${m.name} freed`);
    if (q.entries !== m.entries) {
      for (const [key, entry] of Object.entries(m.entries)) {
        const old = own(q.entries, key);
        for (const [f, v] of Object.entries(entry)) {
          if (show(old?.[f]) !== show(v))
            out.push(
              `${m.name.endsWith('.bss') ? f : `${m.name}[${key}].${f}`} ${show(old?.[f])}→${show(v)}`,
            );
        }
      }
    }
  }
  for (const l of Object.values(next.links)) {
    const q = prev.links[l.id];
    if (!q) out.push(`+link#${l.id}`);
    else if (q.lifecycle !== l.lifecycle && l.lifecycle === 'freed') out.push(`link#${l.id} freed`);
    else if (q.map !== l.map && l.map === null) out.push(`link#${l.id} detached`);
  }
  for (const s of Object.values(next.scx.scheds)) {
    const q = prev.scx.scheds[s.id];
    if (!q) out.push(`+${s.name} ${s.parent === null ? 'root' : 'sub-scheduler'}`);
    else {
      if (q.state !== s.state) out.push(`${s.name} ${s.state}`);
      for (const k of s.kicks.slice(q.kicks.length)) out.push(`${s.name} kicked CPU ${k.cpu}`);
    }
  }
  for (const t of Object.values(next.timers)) {
    const q = prev.timers[t.id];
    if (!q) out.push(`+timer#${t.id}`);
    else if (q.armed !== t.armed) out.push(`timer#${t.id} ${t.armed ? 'armed' : 'fired'}`);
  }
  if (next.oopses.length > prev.oopses.length) out.push(`OOPS: ${next.oopses.at(-1)?.kind ?? ''}`);
  for (const d of next.dmesg.slice(prev.dmesg.length))
    if (d.msg.startsWith('sched_ext: Unassociated')) out.push(d.msg);
  const dp = next.pending.length - prev.pending.length;
  if (dp !== 0) out.push(`pending ${prev.pending.length}→${next.pending.length}`);
  if (next.now !== prev.now) out.push(`clock +${next.now - prev.now}ns`);
  return out;
}
