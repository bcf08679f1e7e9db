import { describe, expect, it } from '@jest/globals';
import { tlsCertificateProblem } from '@schemawire/core-client';

describe('tls certificate errors', () => {
  it("tells what Node's certificate codes ask of the user", () => {
    expect(tlsCertificateProblem('SELF_SIGNED_CERT_IN_CHAIN')).toBe('untrusted');
    expect(tlsCertificateProblem('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe('untrusted');
    expect(tlsCertificateProblem('INVALID_CA')).toBe('untrusted');
    expect(tlsCertificateProblem('CERT_HAS_EXPIRED')).toBe('not-valid-now');
    expect(tlsCertificateProblem('CERT_NOT_YET_VALID')).toBe('not-valid-now');
    expect(tlsCertificateProblem('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('wrong-host');
    expect(tlsCertificateProblem('CERT_REVOKED')).toBe('refused');
  });

  it('knows no other code, nor the names an object inherits', () => {
    for (const code of [
      'ECONNREFUSED',
      'EPROTO',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'cert_has_expired',
      '',
      'toString',
      '__proto__',
    ]) {
      expect(tlsCertificateProblem(code)).toBeUndefined();
    }
  });
});
