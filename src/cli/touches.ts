// The streams a command touches, which is what the import keeps in order: its own stream and, for a
// capital-plan command, the streams of the projects it reads while deciding; for a directory command,
// the agency or user it names.

import { streamOf } from '../commands/handler.js';
import type { CapitalCommand } from '../domain/capital/decide.js';
import { referencedProjects } from '../domain/capital/decide.js';
import { COMMANDS, type Command } from '../domain/catalog.js';
import { type DirectoryCommand, referencedEntity } from '../domain/directory/decide.js';
import { CAPITAL_PLAN, category, projectStream } from '../domain/streams.js';

export function streamsTouched(command: Command): string[] {
  const own = streamOf(command);
  if (COMMANDS[command.type].aggregate === 'directory') {
    const ref = referencedEntity(command as DirectoryCommand);
    return ref ? [own, ref] : [own];
  }
  if (category(own) !== CAPITAL_PLAN) return [own];
  return [own, ...referencedProjects(command as CapitalCommand).map(projectStream)];
}
