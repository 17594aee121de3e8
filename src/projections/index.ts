// The read side's projections, in the order the runner feeds them, and its public entry points.
import { alertsProjection } from '../alerts/projection.js';
import { adminMapProjection } from './admin-map.js';
import { auditTrailProjection } from './audit-trail.js';
import { capitalPlansProjection } from './capital-plans.js';
import { directoryProjection } from './directory.js';
import { projectStatusProjection } from './project-status.js';
import type { Projection } from './projection.js';

export const PROJECTIONS: readonly Projection[] = [
  projectStatusProjection,
  auditTrailProjection,
  alertsProjection,
  adminMapProjection,
  capitalPlansProjection,
  directoryProjection,
];

export {
  type PortfolioDimension,
  type PortfolioFilter,
  type PortfolioRow,
  portfolioSummary,
} from './portfolio.js';
export type { ProjectedEvent, Projection } from './projection.js';
export * from './runner.js';
export {
  adminMapProjection,
  alertsProjection,
  auditTrailProjection,
  capitalPlansProjection,
  directoryProjection,
  projectStatusProjection,
};
