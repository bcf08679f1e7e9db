import { describe, expect, it } from '@jest/globals';
import { DEFAULT_KAFKA_IMAGE, DEFAULT_REGISTRY_IMAGE, resolveImages } from '@schemawire/testcontainers';

describe('testcontainers > images', () => {
  it('defaults to the public images a user would pull', () => {
    expect(resolveImages({}, {})).toEqual({
      kafkaImage: 'apache/kafka:4.4.0',
      registryImage: 'apicurio/apicurio-registry:3.3.3',
    });
    expect([DEFAULT_KAFKA_IMAGE, DEFAULT_REGISTRY_IMAGE]).toEqual([
      'apache/kafka:4.4.0',
      'apicurio/apicurio-registry:3.3.3',
    ]);
  });

  it('takes the environment over the defaults, and given names over both', () => {
    const env = { SCHEMAWIRE_KAFKA_IMAGE: 'local/kafka:1', SCHEMAWIRE_REGISTRY_IMAGE: 'local/registry:1' };
    expect(resolveImages({}, env)).toEqual({
      kafkaImage: 'local/kafka:1',
      registryImage: 'local/registry:1',
    });
    expect(resolveImages({ kafkaImage: 'mine/kafka:2' }, env)).toEqual({
      kafkaImage: 'mine/kafka:2',
      registryImage: 'local/registry:1',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(resolveImages({}, { SCHEMAWIRE_KAFKA_IMAGE: '' }).kafkaImage).toBe('apache/kafka:4.4.0');
  });
});
