export type { CodegenContext, CodegenOptions, GeneratedModule } from './codegen.js';
export { generateTypes } from './codegen.js';
export type { SchemaFile } from './schema-files.js';
export { readSchemaFiles } from './schema-files.js';
