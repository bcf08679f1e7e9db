// A child process of the multi-process registry test: registers schemas START..COUNT-1 of writer TAG
// into the registry folder REGISTRY_DIR through the built package, and prints one JSON line per
// registration once register resolved, so the parent knows what was acknowledged before a kill.
import { performance } from 'node:perf_hooks';

const { EmbeddedRegistry } = await import(process.env.REGISTRY_ADAPTER);
const { REGISTRY_DIR: dir, TAG: tag } = process.env;
const start = Number(process.env.START);
const count = Number(process.env.COUNT);

// Compares schema texts as they are: the test writes each schema with one spelling.
const format = {
  schemaType: 'JSON',
  usesMessageIndexes: false,
  compile() {
    throw new Error('the stress format only compares');
  },
  validate() {},
  canonicalize: (schema) => schema.schema.schema,
  readerIncompatibilities: () => [],
};
const registry = new EmbeddedRegistry({ formats: [format], dir, defaultCompatibility: 'NONE' });

// What registration `i` of this writer registers: shared schemas and subjects, then its own.
function planned(writer, i) {
  const shared = `{"title":"shared-${i % 16}"}`;
  switch (i % 4) {
    case 0: // The same schema under the same subject from every writer: one id, one version.
      return { subject: `shared-${i % 16}`, schema: shared };
    case 1: // The same schema under a subject of this writer: still the shared schema's id.
      return { subject: `${writer}-copy-${i % 16}`, schema: shared };
    case 2: // A new schema under a subject every writer adds versions to.
      return { subject: 'everyone', schema: `{"title":"${writer}-${i}"}` };
    default: // A new schema under a new subject.
      return { subject: `${writer}-${i}`, schema: `{"title":"${writer}-${i}"}` };
  }
}

for (let i = start; i < count; i++) {
  const { subject, schema } = planned(tag, i);
  const began = performance.now();
  const { id, version } = await registry.register(subject, { schemaType: 'JSON', schema });
  const ms = Math.round(performance.now() - began);
  process.stdout.write(`${JSON.stringify({ i, subject, schema, id, version, ms })}\n`);
}
