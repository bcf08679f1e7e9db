import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApicurioRestClient, ConfluentRestClient } from '@schemawire/registry-adapter';
import { apicurioCall, avroRecord, registryUrls, uniqueSubject } from './registry-stack.js';

// The global level is one setting of the whole registry, shared by both APIs and every suite, so its
// tests live in this one file, run in order, and put the registry back as they found it (no rule).
const { apicurioUrl, confluentUrl } = registryUrls();
const native = new ApicurioRestClient({ baseUrl: apicurioUrl });
const confluent = new ConfluentRestClient({ baseUrl: confluentUrl });
const removeGlobalRule = () => apicurioCall(apicurioUrl, 'DELETE', '/admin/rules/COMPATIBILITY');

describe('registry > global compatibility > both APIs of Apicurio', () => {
  beforeAll(removeGlobalRule);
  afterAll(removeGlobalRule);

  it('has no global rule by default, which both APIs read as NONE', async () => {
    expect(await apicurioCall(apicurioUrl, 'GET', '/admin/rules/COMPATIBILITY')).toMatchObject({
      status: 404,
      body: { name: 'RuleNotFoundException' },
    });
    expect(await native.getCompatibility()).toBe('NONE');
    // Deviation from Confluent's registry, whose global level is BACKWARD by default.
    expect(await confluent.getCompatibility()).toBe('NONE');
  });

  it('sets the global rule through either API, and subjects without a level of their own follow it', async () => {
    const subject = uniqueSubject('global');
    const name = `User_${randomUUID().replaceAll('-', '')}`;
    await native.register(subject, avroRecord(name, [{ name: 'id', type: 'int' }]));
    // Other suites share the registry: every level but NONE is held only as long as the checks take.
    try {
      await native.setCompatibility('FULL');
      expect(await apicurioCall(apicurioUrl, 'GET', '/admin/rules/COMPATIBILITY')).toMatchObject({
        status: 200,
        body: { config: 'FULL' },
      });
      expect(await native.getCompatibility()).toBe('FULL');
      expect(await confluent.getCompatibility()).toBe('FULL');
      expect(await native.getCompatibility(subject)).toBe('FULL');
      expect(await native.getCompatibility(uniqueSubject('missing'))).toBe('FULL');

      await confluent.setCompatibility('FORWARD_TRANSITIVE');
      expect(await native.getCompatibility()).toBe('FORWARD_TRANSITIVE');
      expect(await confluent.getCompatibility()).toBe('FORWARD_TRANSITIVE');
      expect(await native.getCompatibility(subject)).toBe('FORWARD_TRANSITIVE');
      expect(await confluent.getCompatibility(subject)).toBe('FORWARD_TRANSITIVE');
    } finally {
      await native.setCompatibility('NONE');
    }
    expect(await confluent.getCompatibility()).toBe('NONE');
  });
});
