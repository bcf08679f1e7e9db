/** The Kafka image started when none is named: the public Apache Kafka image. */
export const DEFAULT_KAFKA_IMAGE = 'apache/kafka:4.4.0';
/** The registry image started when none is named: the public Apicurio Registry image. */
export const DEFAULT_REGISTRY_IMAGE = 'apicurio/apicurio-registry:3.3.3';

/** The image names to start: given ones, else the environment's, else the public defaults. */
export function resolveImages(
  given: { readonly kafkaImage?: string | undefined; readonly registryImage?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): { readonly kafkaImage: string; readonly registryImage: string } {
  return {
    kafkaImage: given.kafkaImage ?? nonEmpty(env['SCHEMAWIRE_KAFKA_IMAGE']) ?? DEFAULT_KAFKA_IMAGE,
    registryImage:
      given.registryImage ?? nonEmpty(env['SCHEMAWIRE_REGISTRY_IMAGE']) ?? DEFAULT_REGISTRY_IMAGE,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
