import { fileURLToPath } from 'node:url';

/** The child script that registers schemas in a loop, printing one JSON line per registration. */
export const REGISTER_LOOP = fileURLToPath(new URL('./register-loop.mjs', import.meta.url));

/** One registration a child printed, so acknowledged before anything that happened to it after. */
export interface Acknowledged {
  readonly i: number;
  readonly subject: string;
  readonly schema: string;
  readonly id: number;
  readonly version: number;
  readonly ms: number;
}

/** The environment of register-loop.mjs: registrations `start` to `count` - 1 of writer `tag` in `dir`. */
export function registerLoopEnv(dir: string, tag: string, start: number, count: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REGISTRY_ADAPTER: new URL('../../dist/index.js', import.meta.url).href,
    REGISTRY_DIR: dir,
    TAG: tag,
    START: String(start),
    COUNT: String(count),
  };
}

/** Two subjects, each with one schema, as the JSON state file of earlier releases held them. */
export const LEGACY_STATE = {
  format: 1,
  nextId: 3,
  nextGlobalId: 3,
  schemas: [
    {
      id: 1,
      guid: '6f1c2a8e-4b0d-4f5e-9a51-0c3b1d2e4f60',
      schemaType: 'JSON',
      schema: '{"title":"legacy-a"}',
      references: [],
    },
    {
      id: 2,
      guid: '0b9d7e42-1c3a-4e6f-8d20-5a4b3c2d1e0f',
      schemaType: 'JSON',
      schema: '{"title":"legacy-b"}',
      references: [],
    },
  ],
  subjects: [
    { name: 'legacy-a', versions: [{ version: 1, id: 1, globalId: 1, deleted: false }] },
    { name: 'legacy-b', versions: [{ version: 1, id: 2, globalId: 2, deleted: false }] },
  ],
};
