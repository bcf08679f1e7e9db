/**
 * What a certificate that failed Node's TLS verification needs: trust in the CA that signed it
 * (`untrusted`), a validity period that holds now (`not-valid-now`), the host name it was reached by
 * (`wrong-host`), or another certificate altogether (`refused`).
 */
export type TlsCertificateProblem = 'untrusted' | 'not-valid-now' | 'wrong-host' | 'refused';

// Node's codes (OpenSSL's verification results, and Node's own host name check) for a certificate it
// would not accept. The same certificate fails the same way on every attempt, so no retry cures one.
const PROBLEMS: ReadonlyMap<string, TlsCertificateProblem> = new Map([
  ...[
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
    'INVALID_CA',
  ].map((code) => [code, 'untrusted'] as const),
  ...['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'].map((code) => [code, 'not-valid-now'] as const),
  ...['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'].map((code) => [code, 'wrong-host'] as const),
  ...['CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'INVALID_PURPOSE', 'PATH_LENGTH_EXCEEDED'].map(
    (code) => [code, 'refused'] as const,
  ),
]);

/** What is wrong with a certificate that Node refused with error `code`; undefined for any other code. */
export function tlsCertificateProblem(code: string): TlsCertificateProblem | undefined {
  return PROBLEMS.get(code);
}
