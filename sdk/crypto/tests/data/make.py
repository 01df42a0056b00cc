#!/usr/bin/env python3
"""Makes the test vectors of hookyard-crypto (sdk/crypto/tests/data/).

Run from anywhere: `python3 sdk/crypto/tests/data/make.py`. Needs Python 3 with
`cryptography` and `PyJWT` (`pip install cryptography pyjwt`) and the `openssl`
command-line tool. Keys are random, so every run gives new files: the tests
only rely on the relations between them (which key signed what, which dates).
Private keys are made in a temporary directory and never written here.

Fixed time: every certificate and token is dated around NOW below
(2026-06-01T00:00:00Z); the Rust tests pass the same `now_ms` and never read
the clock. Valid certificates run 2020-01-01 .. 2040-01-01.

Producers, so the Rust code is checked against other implementations:
- RSA signatures over message.txt: the `openssl dgst` command.
- Certificates: `cryptography`'s CertificateBuilder.
- JWTs: PyJWT (`jwt.encode`); `alg: none` and tampered tokens by hand.
The versions used are written to versions.txt.
"""

import base64
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile

import cryptography
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = os.path.dirname(os.path.abspath(__file__))
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
NOW_S = int(NOW.timestamp())  # 1780272000
VALID = (dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
         dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc))
EXPIRED = (dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
           dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))
APPLE_MARKER = x509.ObjectIdentifier("1.2.840.113635.100.6.29")
TMP = tempfile.mkdtemp(prefix="hookyard-crypto-data-")


def write(name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def spki_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def spki_der(key):
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def name(cn, org="Hookyard Test"):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def cert(subject, subject_key, issuer, issuer_key, serial, *, ca, pathlen=None,
         dates=VALID, hash_=hashes.SHA256(), dns=(), extra=(), key_usage=True):
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer)
         .public_key(subject_key.public_key())
         .serial_number(serial)
         .not_valid_before(dates[0]).not_valid_after(dates[1]))
    if ca is not None:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen), critical=True)
    if key_usage:
        b = b.add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=bool(ca),
            crl_sign=bool(ca), encipher_only=False, decipher_only=False), critical=True)
    if dns:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]),
                            critical=False)
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                            critical=False)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    return b.sign(issuer_key, hash_)


def der_tlv(tag, body):
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + body


def resign_sha1(sha256_cert, issuer_key):
    """The same certificate signed with sha1WithRSAEncryption.

    `cryptography` refuses to make SHA-1 certificates, so the TBS is taken
    from a sha256WithRSAEncryption one, its signature algorithm OID swapped
    (same length: ...1.1.11 -> ...1.1.5) and signed again by hand.
    """
    sha256_alg = bytes.fromhex("300d06092a864886f70d01010b0500")
    sha1_alg = bytes.fromhex("300d06092a864886f70d0101050500")
    tbs = sha256_cert.tbs_certificate_bytes
    assert tbs.count(sha256_alg) == 1
    tbs = tbs.replace(sha256_alg, sha1_alg)
    sig = issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    whole = der_tlv(0x30, tbs + sha1_alg + der_tlv(0x03, b"\x00" + sig))
    return pem(x509.load_der_x509_certificate(whole))


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rsa_vectors():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_path = os.path.join(TMP, "rsa.key")
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    write("rsa_spki.pem", spki_pem(key))
    write("rsa_spki.der", spki_der(key))
    write("rsa_pkcs1.pem", key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1))
    write("rsa_other_spki.pem", spki_pem(other))
    self_signed = cert(name("rsa key holder"), key, name("rsa key holder"), key, 7, ca=False)
    write("rsa_cert.pem", pem(self_signed))
    write("message.txt", "Type=Notification\nMessage=hello from the tests\n")
    msg = os.path.join(OUT, "message.txt")
    sigs = {
        "sig_pkcs1_sha1.bin": ["-sha1"],
        "sig_pkcs1_sha256.bin": ["-sha256"],
        "sig_pkcs1_sha512.bin": ["-sha512"],
        "sig_pss_sha256.bin": ["-sha256", "-sigopt", "rsa_padding_mode:pss",
                               "-sigopt", "rsa_pss_saltlen:digest"],
        "sig_pss_sha256_maxsalt.bin": ["-sha256", "-sigopt", "rsa_padding_mode:pss",
                                       "-sigopt", "rsa_pss_saltlen:max"],
        "sig_pss_sha512.bin": ["-sha512", "-sigopt", "rsa_padding_mode:pss",
                               "-sigopt", "rsa_pss_saltlen:digest"],
    }
    for out, opts in sigs.items():
        openssl("dgst", *opts, "-sign", key_path, "-out", os.path.join(OUT, out), msg)
    # A 512-bit key: rsa_verify refuses keys under 1024 bits even when the
    # signature is right.
    small_path = os.path.join(TMP, "small.key")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512",
            "-out", small_path)
    openssl("pkey", "-in", small_path, "-pubout", "-out", os.path.join(OUT, "rsa512_spki.pem"))
    openssl("dgst", "-sha256", "-sign", small_path, "-out",
            os.path.join(OUT, "sig_rsa512_sha256.bin"), msg)
    return key


def rsa_chain():
    root_k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    int_k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rogue_k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_n, int_n = name("Test RSA Root"), name("Test RSA Intermediate")
    leaf_n = name("sns.test.hookyard.dev", "Hookyard Test, Inc.")
    root = cert(root_n, root_k, root_n, root_k, 1, ca=True)
    inter = cert(int_n, int_k, root_n, root_k, 2, ca=True, pathlen=0, hash_=hashes.SHA384())
    dns = ["sns.test.hookyard.dev", "*.sns.test.hookyard.dev"]
    leaf = cert(leaf_n, leaf_k, int_n, int_k, 0x0A1B2C3D4E5F60718293, ca=False, dns=dns)
    write("chain_rsa_root.pem", pem(root))
    write("chain_rsa_root.der", der(root))
    write("chain_rsa_intermediate.pem", pem(inter))
    write("chain_rsa_leaf.pem", pem(leaf))
    write("chain_rsa_leaf.der", der(leaf))
    write("chain_rsa_leaf_spki.der", spki_der(leaf_k))
    write("chain_rsa_bundle.pem", pem(leaf) + pem(inter))
    # Same leaf signed with SHA-1 (what AWS SNS certificates long used).
    write("chain_rsa_leaf_sha1.pem", resign_sha1(
        cert(leaf_n, leaf_k, int_n, int_k, 3, ca=False, dns=dns), int_k))
    write("chain_rsa_leaf_expired.pem", pem(
        cert(leaf_n, leaf_k, int_n, int_k, 4, ca=False, dns=dns, dates=EXPIRED)))
    # A root with the very same name but another key.
    write("chain_rsa_rogue_root.pem", pem(cert(root_n, rogue_k, root_n, rogue_k, 1, ca=True)))
    # Signed by the leaf, which is no CA.
    evil_k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write("chain_rsa_signed_by_leaf.pem", pem(
        cert(name("evil.test.hookyard.dev"), evil_k, leaf_n, leaf_k, 5, ca=False,
             dns=["evil.test.hookyard.dev"])))
    # An intermediate whose key usage lacks keyCertSign.
    nosign_n = name("Test RSA Intermediate without keyCertSign")
    nosign = (x509.CertificateBuilder().subject_name(nosign_n).issuer_name(root_n)
              .public_key(int_k.public_key()).serial_number(6)
              .not_valid_before(VALID[0]).not_valid_after(VALID[1])
              .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(True, False, False, False, False, False, False,
                                           False, False), critical=True)
              .sign(root_k, hashes.SHA256()))
    write("chain_rsa_intermediate_nocertsign.pem", pem(nosign))
    write("chain_rsa_leaf_under_nocertsign.pem", pem(
        cert(leaf_n, leaf_k, nosign_n, int_k, 8, ca=False, dns=dns)))
    # A CA below the intermediate, whose pathLenConstraint is 0.
    sub_k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sub_n = name("Test RSA Sub-intermediate")
    write("chain_rsa_subintermediate.pem", pem(
        cert(sub_n, sub_k, int_n, int_k, 9, ca=True)))
    write("chain_rsa_leaf_under_sub.pem", pem(
        cert(leaf_n, leaf_k, sub_n, sub_k, 10, ca=False, dns=dns)))
    # A leaf with an unknown critical extension.
    write("chain_rsa_leaf_critical.pem", pem(
        cert(leaf_n, leaf_k, int_n, int_k, 11, ca=False, dns=dns, extra=[
            (x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"),
                                        b"\x05\x00"), True)])))


def ec_chain():
    # Apple-like: P-384 root signing with ecdsa-with-SHA384, P-256 below.
    root_k = ec.generate_private_key(ec.SECP384R1())
    int_k = ec.generate_private_key(ec.SECP256R1())
    leaf_k = ec.generate_private_key(ec.SECP256R1())
    root_n, int_n = name("Test EC Root G3"), name("Test EC Intermediate")
    leaf_n = name("pay.test.hookyard.dev")
    root = cert(root_n, root_k, root_n, root_k, 0x51, ca=True, hash_=hashes.SHA384())
    inter = cert(int_n, int_k, root_n, root_k, 0x52, ca=True, hash_=hashes.SHA384())
    marker = x509.UnrecognizedExtension(APPLE_MARKER, b"\x05\x00")
    leaf = cert(leaf_n, leaf_k, int_n, int_k, 0x53, ca=False,
                dns=["pay.test.hookyard.dev"], extra=[(marker, False)])
    write("chain_ec_root.pem", pem(root))
    write("chain_ec_intermediate.pem", pem(inter))
    write("chain_ec_leaf.pem", pem(leaf))
    write("chain_ec_leaf_expired.pem", pem(
        cert(leaf_n, leaf_k, int_n, int_k, 0x54, ca=False, dates=EXPIRED,
             dns=["pay.test.hookyard.dev"], extra=[(marker, False)])))
    other = ec.generate_private_key(ec.SECP384R1())
    write("chain_ec_other_root.pem", pem(
        cert(name("Another EC Root"), other, name("Another EC Root"), other, 1, ca=True,
             hash_=hashes.SHA384())))
    # Ed25519: a root signing a leaf directly.
    ed_root = ed25519.Ed25519PrivateKey.generate()
    ed_leaf = ed25519.Ed25519PrivateKey.generate()
    ed_root_n = name("Test Ed25519 Root")
    write("chain_ed_root.pem", pem(cert(ed_root_n, ed_root, ed_root_n, ed_root, 1, ca=True,
                                        hash_=None)))
    write("chain_ed_leaf.pem", pem(cert(name("ed.test.hookyard.dev"), ed_leaf, ed_root_n,
                                        ed_root, 2, ca=False, hash_=None,
                                        dns=["ed.test.hookyard.dev"])))


def jwk_rsa(key, kid, alg=None):
    n = key.public_key().public_numbers()
    length = (n.n.bit_length() + 7) // 8
    jwk = {"kty": "RSA", "kid": kid, "use": "sig",
           "n": b64url(n.n.to_bytes(length, "big")), "e": b64url(n.e.to_bytes(3, "big"))}
    if alg:
        jwk["alg"] = alg
    return jwk


def jwt_vectors():
    rsa1 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec1 = ec.generate_private_key(ec.SECP256R1())
    ed1 = ed25519.Ed25519PrivateKey.generate()
    nums = ec1.public_key().public_numbers()
    ed_raw = ed1.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    jwk_ec = {"kty": "EC", "kid": "ec1", "crv": "P-256",
              "x": b64url(nums.x.to_bytes(32, "big")), "y": b64url(nums.y.to_bytes(32, "big"))}
    jwk_ed = {"kty": "OKP", "kid": "ed1", "crv": "Ed25519", "x": b64url(ed_raw)}
    jwk_ps = jwk_rsa(rsa1, "ps1", "PS256")
    # rsa1 has no "alg" (any RS*/PS* may use it); rsa2 is RS256 only.
    jwks = {"keys": [jwk_rsa(rsa1, "rsa1"), jwk_rsa(rsa2, "rsa2", "RS256"), jwk_ec, jwk_ed,
                     jwk_ps]}
    write("jwks.json", json.dumps(jwks, indent=2) + "\n")
    write("jwk_ec1.json", json.dumps(jwk_ec) + "\n")
    write("jwt_rsa2_spki.pem", spki_pem(rsa2))
    write("jwt_rsa2_cert.pem", pem(cert(name("jwt signer"), rsa2, name("jwt signer"), rsa2, 1,
                                         ca=False)))
    secret = b"hookyard-test-secret-0123456789abcdef0123456789abcdef0123456789ab"
    write("jwt_hs256_secret.txt", secret)

    base = {"iss": "https://issuer.test.hookyard.dev", "aud": "hookyard",
            "sub": "user-42", "iat": NOW_S - 60, "exp": NOW_S + 3600}
    tokens = {}

    def token(label, claims, key, alg, kid=None):
        headers = {"kid": kid} if kid else None
        tokens[label] = jwt.encode(claims, key, algorithm=alg, headers=headers)

    token("rs256_kid_rsa2", base, rsa2, "RS256", "rsa2")
    token("rs256_no_kid", base, rsa2, "RS256")
    token("rs256_unknown_kid", base, rsa2, "RS256", "nope")
    token("rs384_kid_rsa1", base, rsa1, "RS384", "rsa1")
    token("rs512_kid_rsa1", base, rsa1, "RS512", "rsa1")
    # rsa2's JWK says alg RS256: an RS384 token naming it is refused.
    token("rs384_kid_rsa2", base, rsa2, "RS384", "rsa2")
    token("ps256_kid_ps1", base, rsa1, "PS256", "ps1")
    token("es256_kid_ec1", base, ec1, "ES256", "ec1")
    token("eddsa_kid_ed1", base, ed1, "EdDSA", "ed1")
    token("hs256", base, secret, "HS256")
    token("hs512", base, secret, "HS512")
    token("rs256_expired", dict(base, exp=NOW_S - 3600), rsa2, "RS256", "rsa2")
    token("rs256_expired_30s", dict(base, exp=NOW_S - 30), rsa2, "RS256", "rsa2")
    token("rs256_nbf_future", dict(base, nbf=NOW_S + 600), rsa2, "RS256", "rsa2")
    token("rs256_no_exp", {k: v for k, v in base.items() if k != "exp"}, rsa2, "RS256", "rsa2")
    token("rs256_aud_array", dict(base, aud=["other", "hookyard"]), rsa2, "RS256", "rsa2")
    token("rs256_wrong_aud", dict(base, aud="someone-else"), rsa2, "RS256", "rsa2")
    token("rs256_wrong_iss", dict(base, iss="https://evil.example"), rsa2, "RS256", "rsa2")
    # Signed by rsa1 but naming rsa2's kid.
    token("rs256_wrong_key", base, rsa1, "RS256", "rsa2")
    # alg none, by hand (PyJWT would refuse to make it).
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    tokens["none"] = header + "." + b64url(json.dumps(base).encode()) + "."
    # HS256 signed with the RSA public key PEM as secret (key confusion).
    confusion_header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    import hmac as hmac_mod
    import hashlib
    body = confusion_header + "." + b64url(json.dumps(base).encode())
    mac = hmac_mod.new(spki_pem(rsa2), body.encode(), hashlib.sha256).digest()
    tokens["hs256_confusion_with_rsa2_pem"] = body + "." + b64url(mac)
    # RSA under 2048 bits (RFC 7518 3.3 forbids it for RS*/PS*).
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    write("jwt_rsa1024_spki.pem", spki_pem(small))
    token("rs256_rsa1024", base, small, "RS256")
    # PS256 with the maximum salt length instead of the digest's (RFC 7518
    # 3.5 wants the digest's), by hand.
    ps_header = b64url(json.dumps({"alg": "PS256", "kid": "ps1"}).encode())
    body = ps_header + "." + b64url(json.dumps(base).encode())
    sig = rsa1.sign(body.encode(), padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                               salt_length=padding.PSS.MAX_LENGTH),
                    hashes.SHA256())
    tokens["ps256_maxsalt_kid_ps1"] = body + "." + b64url(sig)
    write("jwt_tokens.json", json.dumps(tokens, indent=2) + "\n")
    write("jwt_payload.json", json.dumps(base) + "\n")


def main():
    rsa_vectors()
    rsa_chain()
    ec_chain()
    jwt_vectors()
    openssl_version = subprocess.run(["openssl", "version"], check=True,
                                     capture_output=True, text=True).stdout.strip()
    write("versions.txt",
          f"now: {NOW.isoformat()} ({NOW_S} s)\n"
          f"python: {sys.version.split()[0]}\n"
          f"cryptography: {cryptography.__version__}\n"
          f"PyJWT: {jwt.__version__}\n"
          f"openssl: {openssl_version}\n")


if __name__ == "__main__":
    main()
