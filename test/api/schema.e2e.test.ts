// schema.graphql is what clients and CI read: it must be exactly the schema the code builds
// (`npm run schema` rewrites it), with one mutation per command of the catalogue.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaSdl } from '../../src/api/export-schema.js';
import { buildSchema } from '../../src/api/schema/index.js';
import { mutationName } from '../../src/api/schema/mutations.js';
import { COMMANDS } from '../../src/domain/catalog.js';

describe('the checked-in SDL', () => {
  it('matches the schema the code builds (run `npm run schema` after changing it)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(schemaSdl());
  });

  it('has one mutation per command, each taking commandId, expectedRevision and the envelope', () => {
    const mutations = buildSchema().getMutationType()!.getFields();
    // IssueApiToken's is createApiToken: the server makes the token's text and returns it once.
    expect(Object.keys(mutations).sort()).toEqual(
      Object.keys(COMMANDS)
        .filter((t) => t !== 'IssueApiToken')
        .map(mutationName)
        .concat('createApiToken')
        .sort(),
    );
    for (const field of Object.values(mutations)) {
      const input = field.args[0]!.type.toString();
      expect(input).toMatch(/^\w+Input!$/);
    }
    expect(schemaSdl()).toContain('input AllocateCapitalInput {');
  });

  it('has the read queries, the lists as Relay connections', () => {
    const queries = buildSchema().getQueryType()!.getFields();
    expect(Object.keys(queries).sort()).toEqual([
      'alertRules',
      'alerts',
      'auditTrail',
      'capitalPlan',
      'capitalPlanAuditTrail',
      'dossier',
      'mapEntry',
      'me',
      'portfolioSummary',
      'project',
      'projects',
      'replay',
      'streamHead',
    ]);
    expect(queries.projects!.type.toString()).toBe('ProjectConnection!');
    expect(queries.auditTrail!.type.toString()).toBe('AuditEntryConnection!');
    expect(queries.alerts!.type.toString()).toBe('AlertConnection!');
    expect(queries.alertRules!.type.toString()).toBe('[AlertRule!]!');
    expect(queries.replay!.type.toString()).toBe('[ReplayStep!]!');
    expect(queries.capitalPlanAuditTrail!.type.toString()).toBe('CapitalPlanAuditEntryConnection!');
    expect(queries.projects!.args.map((a) => `${a.name}: ${a.type}`)).toEqual([
      'filter: ProjectFilter',
      'first: Int',
      'after: String',
    ]);
    expect(schemaSdl()).toContain('type PageInfo {');
  });

  it('has the subscriptions served over server-sent events', () => {
    const subscriptions = buildSchema().getSubscriptionType()!.getFields();
    expect(Object.keys(subscriptions).sort()).toEqual(['alertOpened', 'projectChanged']);
    expect(subscriptions.projectChanged!.type.toString()).toBe('ProjectChange!');
    expect(subscriptions.alertOpened!.type.toString()).toBe('Alert!');
  });
});
