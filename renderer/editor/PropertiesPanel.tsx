// Properties of the selection: a machine (name, NICs with address and MAC, gateway, DNS, static
// routes, services started with the lab, kernel settings) or a link (latency, bandwidth, loss, MTU,
// up/down). Each field applies as you type when the lab stays valid;
// otherwise the problem shows under the field, the typed text stays, and the lab keeps the last
// valid value (properties.ts). Typing in one field is one undo step.
import { memo, useEffect, useState } from 'react';
import { hasNics } from '../../shared/lab/limits';
import type { LabDoc } from '../../shared/lab/types';
import type { Edit } from './edits';
import { renameMachine } from './edits';
import { addNic, problemsAt, removeNic, setLinkFields, setMachineFields, setNic, setService, setServicePort, setSysctl, type Checked } from './properties';
import { SERVICE_CATALOG } from '../../shared/kernel/services';
import { SYSCTLS } from '../../shared/kernel/sysctl';
import type { EditorActions } from './use-editor';

export interface PropertiesPanelProps {
  doc: LabDoc;
  machine: string | null;
  /** Index of the selected link in doc.links, or -1. */
  link: number;
  edit: EditorActions;
  /** A rename went through: the selection follows the machine. */
  onRenamed(id: string): void;
}

export const PropertiesPanel = memo(function PropertiesPanel({ doc, machine, link, edit, onRenamed }: PropertiesPanelProps) {
  const mi = machine === null ? -1 : doc.machines.findIndex((m) => m.id === machine);
  if (mi >= 0) return <MachineProperties doc={doc} index={mi} edit={edit} onRenamed={onRenamed} />;
  if (link >= 0 && doc.links[link]) return <LinkProperties doc={doc} index={link} edit={edit} />;
  return null;
});

function MachineProperties({ doc, index, edit, onRenamed }: { doc: LabDoc; index: number; edit: EditorActions; onRenamed(id: string): void }) {
  const m = doc.machines[index]!;
  const at = `machines[${index}]`;
  return (
    <aside className="properties" data-testid="properties" aria-label={`Properties of ${m.id}`}>
      <h3>
        {m.kind} properties
      </h3>
      <Field label="Name" testId="prop-name" value={m.id} field={`${at}.id`} apply={(d, v) => renameMachine(d, m.id, v)} onApplied={(v) => onRenamed(v)} edit={edit} commitOn="enter" />
      {hasNics(m.kind) && (
        <>
          {(m.nics ?? []).map((n, j) => (
            <fieldset key={`${m.id}:${j}`} className="prop-nic">
              <legend>
                {n.name}
                <button type="button" className="btn btn-small" title={`Remove ${n.name} and its link`} onClick={() => edit.apply((d) => removeNic(d, m.id, j))}>
                  Remove
                </button>
              </legend>
              <Field label="IPv4/prefix" testId={`prop-${n.name}-ip`} value={n.ip ?? ''} placeholder="10.0.1.10/24" field={`${at}.nics[${j}].ip`} apply={(d, v) => setNic(d, m.id, j, { ip: v || undefined })} edit={edit} />
              <Field label="MAC" testId={`prop-${n.name}-mac`} value={n.mac ?? ''} placeholder="derived" field={`${at}.nics[${j}].mac`} apply={(d, v) => setNic(d, m.id, j, { mac: v || undefined })} edit={edit} />
            </fieldset>
          ))}
          <button type="button" className="btn btn-small" data-testid="prop-add-nic" onClick={() => edit.apply((d) => addNic(d, m.id))}>
            Add NIC
          </button>
          <Field label="Default gateway" testId="prop-gateway" value={m.gateway ?? ''} placeholder="none" field={`${at}.gateway`} apply={(d, v) => setMachineFields(d, m.id, { gateway: v || undefined })} edit={edit} />
          <Field label="DNS server" testId="prop-dns" value={m.dns ?? ''} placeholder="none" field={`${at}.dns`} apply={(d, v) => setMachineFields(d, m.id, { dns: v || undefined })} edit={edit} />
          <Routes doc={doc} index={index} edit={edit} />
          <Services doc={doc} index={index} edit={edit} />
          <Sysctls doc={doc} index={index} edit={edit} />
        </>
      )}
    </aside>
  );
}

/** Services started with the lab (the lab file's `services`; `service NAME start` at time 0). */
function Services({ doc, index, edit }: { doc: LabDoc; index: number; edit: EditorActions }) {
  const m = doc.machines[index]!;
  const at = `machines[${index}].services`;
  return (
    <fieldset className="prop-nic" data-testid="prop-services">
      <legend>Services started with the lab</legend>
      {SERVICE_CATALOG.map((s) => {
        const j = m.services?.findIndex((x) => x.name === s.name) ?? -1;
        const svc = j >= 0 ? m.services![j]! : null;
        return (
          <div key={s.name} className="prop-service">
            <label className="prop-check" title={s.description}>
              <input type="checkbox" data-testid={`prop-service-${s.name}`} checked={svc !== null} onChange={(e) => edit.apply((d) => setService(d, m.id, s.name, e.target.checked))} />
              <span>
                {s.name} <span className="muted">({s.daemon}, {s.port}/{s.proto})</span>
              </span>
            </label>
            {svc && (
              <Field
                label={`${s.name} port`}
                testId={`prop-service-${s.name}-port`}
                value={svc.port === undefined ? '' : String(svc.port)}
                placeholder={String(s.port)}
                field={`${at}[${j}]`}
                apply={(d, v) => setServicePort(d, m.id, s.name, v === '' ? undefined : Number(v))}
                edit={edit}
              />
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

/** Kernel settings (the lab file's `sysctl`, what `sysctl -w` sets at boot). */
function Sysctls({ doc, index, edit }: { doc: LabDoc; index: number; edit: EditorActions }) {
  const m = doc.machines[index]!;
  const set = Object.entries(m.sysctl ?? {});
  const unset = Object.keys(SYSCTLS).filter((k) => !(k in (m.sysctl ?? {})));
  const at = `machines[${index}].sysctl`;
  return (
    <fieldset className="prop-nic" data-testid="prop-sysctls">
      <legend>Kernel settings (sysctl)</legend>
      {set.map(([key, value]) => (
        <div key={key} className="prop-route">
          <Field label={key} testId={`prop-sysctl-${key}`} value={String(value)} field={`${at}[${JSON.stringify(key)}]`} apply={(d, v) => setSysctl(d, m.id, key, v)} edit={edit} />
          <span className="muted prop-hint">{SYSCTLS[key]?.doc}</span>
          <button type="button" className="btn btn-small" title={`Back to the default (${formatDefault(key)})`} onClick={() => edit.apply((d) => setSysctl(d, m.id, key, undefined))}>
            Default
          </button>
        </div>
      ))}
      <select
        data-testid="prop-add-sysctl"
        value=""
        aria-label="Add a kernel setting"
        onChange={(e) => {
          const key = e.target.value;
          if (key) edit.apply((d) => setSysctl(d, m.id, key, formatDefault(key)));
        }}
      >
        <option value="">Add a setting…</option>
        {unset.map((k) => (
          <option key={k} value={k} title={SYSCTLS[k]!.doc}>
            {k}
          </option>
        ))}
      </select>
    </fieldset>
  );
}

function formatDefault(key: string): string {
  const d = SYSCTLS[key]?.default;
  return Array.isArray(d) ? d.join(' ') : String(d ?? '');
}

/** Static routes (the lab file's `routes`, what `ip route add DEST via GW` adds at boot). */
function Routes({ doc, index, edit }: { doc: LabDoc; index: number; edit: EditorActions }) {
  const m = doc.machines[index]!;
  const routes = m.routes ?? [];
  const at = `machines[${index}].routes`;
  const withRoute = (d: LabDoc, k: number, r: { to?: string; via?: string } | null) => {
    const cur = d.machines.find((x) => x.id === m.id)?.routes ?? [];
    const next = r === null ? cur.filter((_, j) => j !== k) : cur.map((x, j) => (j === k ? { ...x, ...r } : x));
    return setMachineFields(d, m.id, { routes: next.length > 0 ? next : undefined });
  };
  return (
    <fieldset className="prop-nic" data-testid="prop-routes">
      <legend>Static routes</legend>
      {routes.map((r, k) => (
        <div key={k} className="prop-route">
          <Field label="To (network/prefix)" testId={`prop-route-${k}-to`} value={r.to} field={`${at}[${k}].to`} apply={(d, v) => withRoute(d, k, { to: v })} edit={edit} />
          <Field label="Via (gateway)" testId={`prop-route-${k}-via`} value={r.via} field={`${at}[${k}].via`} apply={(d, v) => withRoute(d, k, { via: v })} edit={edit} />
          <button type="button" className="btn btn-small" onClick={() => edit.apply((d) => withRoute(d, k, null))}>
            Remove route
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small"
        data-testid="prop-add-route"
        title="A route is added once both fields hold a valid network and a gateway on one of this machine's subnets"
        onClick={() => {
          const gw = suggestGateway(m);
          edit.apply((d) => setMachineFields(d, m.id, { routes: [...routes, { to: '192.168.100.0/24', via: gw }] }));
        }}
      >
        Add route
      </button>
    </fieldset>
  );
}

/** A gateway to start a new route with: the machine's first address with host part .1 (edited next). */
function suggestGateway(m: LabDoc['machines'][number]): string {
  const ip = m.nics?.find((n) => n.ip)?.ip;
  if (!ip) return '0.0.0.1';
  const [a, b, c] = ip.split('/')[0]!.split('.');
  const own = ip.split('/')[0]!;
  const one = `${a}.${b}.${c}.1`;
  return one === own ? `${a}.${b}.${c}.2` : one;
}

function LinkProperties({ doc, index, edit }: { doc: LabDoc; index: number; edit: EditorActions }) {
  const l = doc.links[index]!;
  const at = `links[${index}]`;
  const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));
  return (
    <aside className="properties" data-testid="properties" aria-label={`Properties of link ${l.a} - ${l.b}`}>
      <h3>
        Link {l.a} – {l.b}
      </h3>
      <Field label="Latency" testId="prop-latency" value={l.latency ?? ''} placeholder="100us" field={`${at}.latency`} apply={(d, v) => setLinkFields(d, index, { latency: v || undefined })} edit={edit} />
      <Field label="Bandwidth" testId="prop-bandwidth" value={l.bandwidth ?? ''} placeholder="1Gbps" field={`${at}.bandwidth`} apply={(d, v) => setLinkFields(d, index, { bandwidth: v || undefined })} edit={edit} />
      <Field label="Loss (0..1)" testId="prop-loss" value={l.loss === undefined ? '' : String(l.loss)} placeholder="0" field={`${at}.loss`} apply={(d, v) => setLinkFields(d, index, { loss: num(v) })} edit={edit} />
      <Field label="MTU" testId="prop-mtu" value={l.mtu === undefined ? '' : String(l.mtu)} placeholder="1500" field={`${at}.mtu`} apply={(d, v) => setLinkFields(d, index, { mtu: num(v) })} edit={edit} />
      <label className="prop-check" title="Down: the cable is unplugged; both NICs lose carrier (NO-CARRIER) and frames sent on it are dropped (LINK_DOWN)">
        <input
          type="checkbox"
          data-testid="prop-up"
          checked={l.up !== false}
          onChange={(e) => {
            const up = e.target.checked;
            edit.apply((d) => setLinkFields(d, index, { up: up ? undefined : false }));
          }}
        />
        <span>Link up</span>
      </label>
    </aside>
  );
}

interface FieldProps {
  label: string;
  testId: string;
  value: string;
  placeholder?: string;
  /** The field's JSON path in the lab, for picking its problems out of a refusal. */
  field: string;
  apply(doc: LabDoc, text: string): Checked | Edit;
  /** After an edit from this field went through. */
  onApplied?(text: string): void;
  edit: EditorActions;
  /** 'type' (default): every keystroke that leaves a valid lab applies; 'enter': only Enter (renames). */
  commitOn?: 'type' | 'enter';
}

function Field({ label, testId, value, placeholder, field, apply, onApplied, edit, commitOn = 'type' }: FieldProps) {
  const [text, setText] = useState(value);
  const [problems, setProblems] = useState<string[]>([]);
  const [focused, setFocused] = useState(false);
  // The document changed from elsewhere (undo, another field): show it unless the person is typing here.
  useEffect(() => {
    if (!focused) {
      setText(value);
      setProblems([]);
    }
  }, [value, focused]);
  const tryApply = (t: string) => {
    const c = edit.apply((d) => apply(d, t), field, true);
    if (!c) return;
    if (c.ok) {
      setProblems([]);
      onApplied?.(t);
    } else {
      const own = problemsAt(c as Checked, field);
      setProblems(own.length > 0 ? own : [c.reason]);
    }
  };
  return (
    <label className="prop-field">
      <span>{label}</span>
      <input
        data-testid={testId}
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={problems.length > 0}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          edit.seal();
        }}
        onChange={(e) => {
          setText(e.target.value);
          if (commitOn === 'type') tryApply(e.target.value.trim());
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            tryApply(text.trim());
            edit.seal();
          } else if (e.key === 'Escape') {
            setText(value);
            setProblems([]);
          }
        }}
      />
      {problems.map((p) => (
        <span key={p} className="prop-problem" role="alert">
          {p}
        </span>
      ))}
    </label>
  );
}
