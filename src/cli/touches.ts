// The streams a command touches, which is what the import keeps in order: its own stream and, for a
// capital-plan command, the streams of the projects it reads while deciding.

import { streamOf } from '../commands/handler.js';
import type { CapitalCommand } from '../domain/capital/decide.js';
import { referencedProjects } from '../domain/capital/decide.js';
import type { Command } from '../domain/catalog.js';
import { CAPITAL_PLAN, category, projectStream } from '../domain/streams.js';

export function streamsTouched(command: Command): string[] {
  const own = streamOf(command);
  if (category(own) !== CAPITAL_PLAN) return [own];
  return [own, ...referencedProjects(command as CapitalCommand).map(projectStream)];
}
