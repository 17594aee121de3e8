// Stream names: `category-id`, the category never containing '-', one function per aggregate.

export const PROJECT = 'project';
export const CAPITAL_PLAN = 'capitalplan';
export const ADMIN_MAP = 'adminmap';

/** The directory's reference data: one stream per agency, user and API token. */
export const AGENCY_STREAM = 'agency';
export const USER_STREAM = 'user';
export const API_TOKEN_STREAM = 'apitoken';
export const userStream = (userId: string): string => `${USER_STREAM}-${userId}`;
export const apiTokenStream = (tokenId: string): string => `${API_TOKEN_STREAM}-${tokenId}`;

export const projectStream = (projectId: string): string => `${PROJECT}-${projectId}`;

/** One annual capital plan per province and year, e.g. `capitalplan-04_2022`. */
export const capitalPlanStream = (province: string, year: number): string =>
  `${CAPITAL_PLAN}-${province}_${year}`;

/** The administrative map (units, agencies, their succession): one stream for the country. */
export const ADMIN_MAP_STREAM = `${ADMIN_MAP}-VN`;

export function category(stream: string): string {
  const i = stream.indexOf('-');
  return i < 0 ? stream : stream.slice(0, i);
}

export function streamId(stream: string): string {
  const i = stream.indexOf('-');
  return i < 0 ? '' : stream.slice(i + 1);
}
