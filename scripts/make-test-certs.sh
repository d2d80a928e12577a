#!/usr/bin/env bash
# make-test-certs.sh DIR: a throw-away CA and the certificates a TLS Docker engine and its client
# use, as the Docker docs make them (https://docs.docker.com/engine/security/protect-access/):
#   DIR/ca.pem                          the CA (its key: ca-key.pem)
#   DIR/server-cert.pem, server-key.pem dockerd --tlsverify, for 127.0.0.1 and localhost
#   DIR/cert.pem, key.pem               the client (what DOCKER_CERT_PATH holds, with ca.pem)
# One day of validity; for tests only.
set -euo pipefail
DIR="${1:?usage: make-test-certs.sh DIR}"
mkdir -p "$DIR"
cd "$DIR"
ssl() { openssl "$@" 2>/dev/null; }
ssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=proclens test CA" -keyout ca-key.pem -out ca.pem
ssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr
printf 'subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n' >server.ext
ssl x509 -req -days 1 -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -extfile server.ext -out server-cert.pem
ssl req -newkey rsa:2048 -nodes -subj "/CN=client" -keyout key.pem -out client.csr
printf 'extendedKeyUsage = clientAuth\n' >client.ext
ssl x509 -req -days 1 -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -extfile client.ext -out cert.pem
rm -f server.csr client.csr server.ext client.ext ca.srl
chmod 0600 ca-key.pem server-key.pem key.pem
