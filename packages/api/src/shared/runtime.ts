import { v7 as uuidv7 } from 'uuid';

/** The clock and id source every service takes, so tests can pin time and ids. */
export interface Runtime {
  now(): Date;
  newId(): string;
}

export const systemRuntime: Runtime = {
  now: () => new Date(),
  newId: () => uuidv7(),
};
