#!/usr/bin/env bash
# TLS verification is always on: against a local https server with a
# self-signed certificate, a call fails on the certificate; trusting the
# certificate with AWS_CA_BUNDLE gets past TLS (and then fails on the
# server's non-AWS answer); a host name the certificate does not name still
# fails.  No option exists to turn verification off.
set -u
: "${ROOT:?}" "${BUILD:?}"
helper="$ROOT/$BUILD/tests/helpers/aws_stress"
if ! command -v openssl >/dev/null; then
  echo "skip tls_verify # no openssl command"; exit 0
fi
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" \
  >/dev/null 2>&1 || { echo "not ok tls_verify_make_certificate"; exit 1; }
# A tiny https server (standard library) answering every request with a
# 200 that is not AWS XML.
cat >"$work/srv.py" <<'PY'
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get('Content-Length') or 0)
        self.rfile.read(n)
        body = b'not aws'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
python3 "$work/srv.py" "$work/cert.pem" "$work/key.pem" >"$work/port" 2>"$work/srv.err" &
pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(head -1 "$work/port")
export AWS_ACCESS_KEY_ID=AKIDTLSTEST000000001 AWS_SECRET_ACCESS_KEY=tlsTestSecret0000000000000000000000001
unset AWS_CA_BUNDLE
fail=0
check() { if [ "$2" -eq 0 ]; then echo "ok $1"; else echo "not ok $1"; fail=1; fi; }

"$helper" "https://127.0.0.1:$port" 1 1 -1 0 >"$work/untrusted" 2>&1
grep -qi 'certificate' "$work/untrusted"
check tls_untrusted_certificate_rejected $?
sed 's/^/# untrusted: /' "$work/untrusted" | grep error

AWS_CA_BUNDLE="$work/cert.pem" "$helper" "https://127.0.0.1:$port" 1 1 -1 0 >"$work/trusted" 2>&1
! grep -qi 'certificate\|SSL' "$work/trusted" && grep -q 'XML' "$work/trusted"
check tls_trusted_bundle_gets_past_tls $?
sed 's/^/# trusted: /' "$work/trusted" | grep error

AWS_CA_BUNDLE="$work/cert.pem" "$helper" "https://localhost:$port" 1 1 -1 0 >"$work/wronghost" 2>&1
grep -qi 'subject name\|certificate\|SSL' "$work/wronghost"
check tls_host_name_mismatch_rejected $?
sed 's/^/# wrong host: /' "$work/wronghost" | grep error
exit $fail
