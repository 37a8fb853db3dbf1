/**
 * RFC 4514 Name formatting against its oracle, pyca/cryptography's `Name.rfc4514_string()` (what the fixture
 * oracle uses): names with every escaping case are built and formatted by Python at test time; skipped when
 * python3 with `cryptography` is not installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { formatNameDer } from "../../../../src/tls/x509/name";

const PY = `
import json
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.x509.name import _ASN1Type
A = x509.NameAttribute
cases = []
for v in ['a,b', '#start', ' lead', 'trail ', 'x+y;z<>"q\\\\', '\\u00e9 \\u00fcn\\u00efcode', 'plain', '\\x00nul', '=eq']:
    n = x509.Name([A(NameOID.COUNTRY_NAME, 'KR'), A(NameOID.COMMON_NAME, v), A(NameOID.ORGANIZATION_NAME, 'O' + v),
                   A(NameOID.EMAIL_ADDRESS, 'a@b'), A(NameOID.SERIAL_NUMBER, '123'), A(NameOID.LOCALITY_NAME, v),
                   A(NameOID.STATE_OR_PROVINCE_NAME, 'st'), A(NameOID.STREET_ADDRESS, 's'), A(NameOID.USER_ID, 'u')])
    cases.append([n.public_bytes().hex(), n.rfc4514_string()])
n = x509.Name([x509.RelativeDistinguishedName([A(NameOID.COMMON_NAME, 'a'), A(NameOID.ORGANIZATIONAL_UNIT_NAME, 'b')]),
               x509.RelativeDistinguishedName([A(NameOID.DOMAIN_COMPONENT, 'com')])])
cases.append([n.public_bytes().hex(), n.rfc4514_string()])
n = x509.Name([A(NameOID.COMMON_NAME, 'bmp \\u4e2d', _ASN1Type.BMPString), A(NameOID.ORGANIZATION_NAME, 'u', _ASN1Type.UniversalString)])
cases.append([n.public_bytes().hex(), n.rfc4514_string()])
print(json.dumps(cases))
`;

function oracle(): [string, string][] | undefined {
  try {
    return JSON.parse(execFileSync("python3", ["-c", PY], { timeout: 30_000, stdio: ["ignore", "pipe", "ignore"] }).toString()) as [string, string][];
  } catch {
    return undefined;
  }
}

test("Name.rfc4514 formatting matches pyca/cryptography", () => {
  const cases = oracle();
  if (!cases) {
    assert.fail("python3 with cryptography is not available (Debian package python3-cryptography; .ci/run installs it)");
  }
  assert.ok(cases.length > 5);
  for (const [hex, want] of cases) assert.equal(formatNameDer(new Uint8Array(Buffer.from(hex, "hex"))), want, hex);
});
