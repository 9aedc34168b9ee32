// A generated 200-machine lab for the editor benchmark: a core switch, 9 access switches, 9 x 21
// hosts and one router, each placed on a grid (positions as a person's saved file would have).
import { LAB_FORMAT, type LabDoc, type MachineDoc } from '../../shared/lab/types';

export function lab200(): LabDoc {
  const machines: MachineDoc[] = [{ id: 'core', kind: 'switch', ports: 16, position: { x: 1000, y: 40 } }, { id: 'r1', kind: 'router', nics: [{ name: 'eth0', ip: '10.0.0.1/16' }], position: { x: 1200, y: 40 } }];
  const links = [{ a: 'r1:eth0', b: 'core:p16' }];
  for (let s = 1; s <= 9; s++) {
    machines.push({ id: `sw${s}`, kind: 'switch', ports: 24, position: { x: s * 220, y: 200 } });
    links.push({ a: `sw${s}:p24`, b: `core:p${s}` });
    for (let h = 1; h <= 21; h++) {
      const id = `h${s}-${h}`;
      machines.push({ id, kind: 'host', nics: [{ name: 'eth0', ip: `10.0.${s}.${h + 9}/16` }], gateway: '10.0.0.1', position: { x: s * 220 + ((h - 1) % 3) * 60 - 60, y: 320 + Math.floor((h - 1) / 3) * 70 } });
      links.push({ a: `${id}:eth0`, b: `sw${s}:p${h}` });
    }
  }
  return { format: LAB_FORMAT, name: '200 machines', seed: 1, machines, links };
}
