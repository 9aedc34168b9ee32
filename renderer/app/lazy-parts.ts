// The parts of the window its first paint does not need, each in its own chunk loaded after the
// main one (React.lazy): the topology canvas (cytoscape), the editor's properties panel (with the lab
// schema's checks, zod: ~110 kB), the consoles' terminal (xterm) and the dialogs. The packet list,
// panels and toolbar paint without waiting for them.
import { lazy } from 'react';

const propertiesPanel = () => import('../editor/PropertiesPanel');
/**
 * The properties panel renders inside the canvas: its chunk is fetched beside the canvas's, not
 * after it. A failed fetch is left to the panel's own load, whose LoadBoundary says what failed.
 */
export const TopologyCanvas = lazy(() => {
  void propertiesPanel().catch(() => {});
  return import('../canvas/TopologyCanvas').then((m) => ({ default: m.TopologyCanvas }));
});
export const PropertiesPanel = lazy(() => propertiesPanel().then((m) => ({ default: m.PropertiesPanel })));
export const ConsoleTerminal = lazy(() => import('../machine/ConsoleTerminal').then((m) => ({ default: m.ConsoleTerminal })));
export const ExamplesDialog = lazy(() => import('../editor/ExamplesDialog').then((m) => ({ default: m.ExamplesDialog })));
export const ServicesDialog = lazy(() => import('../machine/ServicesDialog').then((m) => ({ default: m.ServicesDialog })));
export const FollowStreamDialog = lazy(() => import('../analysis/FollowStreamDialog').then((m) => ({ default: m.FollowStreamDialog })));
export const FlowGraphDialog = lazy(() => import('../analysis/FlowGraphDialog').then((m) => ({ default: m.FlowGraphDialog })));
export const IoGraphDialog = lazy(() => import('../analysis/IoGraphDialog').then((m) => ({ default: m.IoGraphDialog })));
export const StatisticsDialog = lazy(() => import('../analysis/StatisticsDialog').then((m) => ({ default: m.StatisticsDialog })));
