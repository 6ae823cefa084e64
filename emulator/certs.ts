import * as x509 from "@peculiar/x509";
import { createHash, webcrypto, X509Certificate } from "crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";

// @peculiar/x509 takes a WebCrypto implementation; node ships one.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Key material the emulator needs; kept in `stateDir/keys.json` so a restart with the same stateDir reuses it. */
export interface KeyMaterial {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Signs the access, id and refresh tokens of the emulated Entra ID. */
  stsKeyPem: string;
  /** Signs the federated (workload identity) tokens of the emulator's own OIDC issuer. */
  oidcKeyPem: string;
}

export interface FilesWritten {
  caFile: string;
  certificatePemFile: string;
}

const rsa: webcrypto.RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(rsa, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

const serial = (): string =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString("hex")
    .replace(/^[89a-f]/, "1");

async function generate(): Promise<KeyMaterial> {
  const [caKeys, serverKeys, clientKeys, sts, oidc] = await Promise.all([keyPair(), keyPair(), keyPair(), keyPair(), keyPair()]);
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + 2 * 365 * 86400_000);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=Partner Center Emulator Local CA",
    notBefore,
    notAfter,
    signingAlgorithm: rsa,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=127.0.0.1",
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: rsa,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ],
  });
  // The app registration's credential: self-signed like the ones people upload to Entra ID.
  const client = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=Partner Center Emulator Client",
    notBefore,
    notAfter,
    signingAlgorithm: rsa,
    keys: clientKeys,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return {
    caCertPem: ca.toString("pem") + "\n",
    serverCertPem: server.toString("pem") + "\n",
    serverKeyPem: await pkcs8Pem(serverKeys.privateKey),
    clientCertPem: client.toString("pem") + "\n",
    clientKeyPem: await pkcs8Pem(clientKeys.privateKey),
    stsKeyPem: await pkcs8Pem(sts.privateKey),
    oidcKeyPem: await pkcs8Pem(oidc.privateKey),
  };
}

export async function loadOrCreateKeyMaterial(stateDir: string): Promise<{ keys: KeyMaterial; files: FilesWritten }> {
  mkdirSync(stateDir, { recursive: true });
  const keysFile = join(stateDir, "keys.json");
  let keys: KeyMaterial;
  if (existsSync(keysFile)) {
    keys = JSON.parse(readFileSync(keysFile, "utf8")) as KeyMaterial;
  } else {
    keys = await generate();
    writeFileSync(keysFile, JSON.stringify(keys), { mode: 0o600 });
  }
  const caFile = join(stateDir, "ca.pem");
  const certificatePemFile = join(stateDir, "client-certificate.pem");
  writeFileSync(caFile, keys.caCertPem);
  writeFileSync(certificatePemFile, keys.clientCertPem + keys.clientKeyPem, { mode: 0o600 });
  return { keys, files: { caFile, certificatePemFile } };
}

/** Thumbprints the way Entra ID shows them: hex, uppercase, over the DER bytes. */
export function thumbprints(certPem: string): { sha1: string; sha256: string } {
  const der = new X509Certificate(certPem).raw;
  return {
    sha1: createHash("sha1").update(der).digest("hex").toUpperCase(),
    sha256: createHash("sha256").update(der).digest("hex").toUpperCase(),
  };
}
