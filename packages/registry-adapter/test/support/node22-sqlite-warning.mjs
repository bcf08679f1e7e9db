// Preloaded with --import: makes loading node:sqlite warn as Node 22 does, plus a warning of another
// feature at the same moment, which must still reach stderr.
const getBuiltinModule = process.getBuiltinModule;
process.getBuiltinModule = (id) => {
  if (id === 'node:sqlite') {
    process.emitWarning(
      'SQLite is an experimental feature and might change at any time',
      'ExperimentalWarning',
    );
    process.emitWarning('Teleportation is an experimental feature', 'ExperimentalWarning');
  }
  return getBuiltinModule.call(process, id);
};
