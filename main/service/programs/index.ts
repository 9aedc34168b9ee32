// Programs written outside the engine because they need a Node library; installed on every machine
// by handing them to the World (main/service's LabService and headless runner do).
import type { programKit } from '../../engine';
import { ssh } from './ssh';
import { sshd } from './sshd';

export const NODE_PROGRAMS: Readonly<Record<string, programKit.Program>> = { ssh, sshd };
