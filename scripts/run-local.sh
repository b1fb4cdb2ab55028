#!/usr/bin/env bash
# Starts the whole product on this machine: API + silo in one process on 127.0.0.1, a warm pool of
# headless Chromium browsers, a private PostgreSQL under .data/ that keeps every balance across restarts,
# and a demo customer whose API key is printed. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything this script creates (secrets, the log) is readable by this user alone.
umask 077

port="${UFB_PORT:-8080}"
url="http://127.0.0.1:${port}"
data=".data"
mkdir -p "$data"
# .data from an earlier version may have been created with looser modes: the service's alone, directory and files.
chmod 700 "$data"
find "$data" -maxdepth 1 -type f -exec chmod 600 {} +

bash scripts/install-deps.sh

# The operator token is generated once and kept outside the repository (.data is git-ignored).
if [ ! -s "$data/operator-token" ]; then
  (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=' > "$data/operator-token")
fi
operator_token=$(cat "$data/operator-token")
# Likewise the Stripe webhook signing secret: the local trigger signs events with it, the webhook verifies them.
if [ ! -s "$data/stripe-webhook-secret" ]; then
  (umask 077; printf 'whsec_%s' "$(head -c 32 /dev/urandom | base64 | tr -d '/+=')" > "$data/stripe-webhook-secret")
fi

echo "Starting PostgreSQL (Unix socket only)..."
connection_string=$(bash scripts/local-postgres.sh start)
# Likewise the key that signs connect URLs, so they stay valid across restarts.
if [ ! -s "$data/gateway-signing-key" ]; then
  (umask 077; head -c 48 /dev/urandom | base64 | tr -d '/+=' > "$data/gateway-signing-key")
fi

# The key saved browser profiles are sealed with (AES-256-GCM, 32 random bytes): kept, so profiles survive restarts.
if [ ! -s "$data/profile-encryption-key" ]; then
  (umask 077; head -c 32 /dev/urandom | base64 > "$data/profile-encryption-key")
fi

echo "Building..."
# Build outputs are ordinary files, not secrets.
(umask 022; dotnet build src/Api -c Release -v quiet -nologo >/dev/null)
(umask 022; dotnet build tools/StripeTrigger -c Release -v quiet -nologo >/dev/null)

export UFBrowsers__Operator__Token="$operator_token"
export UFBrowsers__Silo__Storage=Postgres
export UFBrowsers__Postgres__ConnectionString="$connection_string"
export UFBrowsers__Stripe__WebhookSecret="$(cat "$data/stripe-webhook-secret")"
export UFBrowsers__Gateway__SigningKey="$(cat "$data/gateway-signing-key")"
export UFBrowsers__Profiles__EncryptionKeys__local1="$(cat "$data/profile-encryption-key")"
# Connect URLs name 127.0.0.1 (where the API listens) even when the request said localhost.
export UFBrowsers__Gateway__PublicBaseUrl="$url"
# Each run on one machine owns its pods directory (a provider sweeps whatever it finds there at start).
export UFBrowsers__LocalChromium__PodsDirectory="/tmp/ufbrowsers-pods-$port"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
dotnet src/Api/bin/Release/net10.0/UFBrowsers.Api.dll --contentRoot "$PWD/src/Api/bin/Release/net10.0" --urls "$url" > "$data/ufbrowsers.log" 2>&1 &
pid=$!
# Under `set -e` a failing command in a trap ends it early, so every step of the clean-up tolerates failure (the API may
# already be gone, and `wait` reports its exit code); PostgreSQL is stopped whatever happened before.
stop_all() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  bash scripts/local-postgres.sh stop || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 120); do
  curl -fs "$url/health/live" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "UFBrowsers failed to start; see $data/ufbrowsers.log"; exit 1; }
  sleep 0.5
done

admin() { curl -sS --fail-with-body -H "Authorization: Bearer $operator_token" -H "Content-Type: application/json" "$@"; }

# The demo customer is created once, then subscribed the way Stripe does it: a signed
# checkout.session.completed and the first invoice.paid, posted to the webhook by the local trigger.
# Both name the same first invoice, which keys the credit grant, so running this script again never grants twice.
admin -o /dev/null -X POST "$url/admin/customers" -d '{"id":"demo","name":"Demo customer","plan":"professional"}' 2>/dev/null || true
trigger() { dotnet tools/StripeTrigger/bin/Release/net10.0/UFBrowsers.StripeTrigger.dll "$@" --customer demo --url "$url" --secret-file "$data/stripe-webhook-secret"; }
trigger checkout-completed
trigger invoice-paid --period 1
api_key=$(admin -X POST "$url/admin/customers/demo/api-keys" -d '{"name":"run-local"}' | sed -E 's/.*"key":"([^"]+)".*/\1/')

cat <<INFO

UFBrowsers is running (log: $data/ufbrowsers.log)
  API:              $url/v1              (reference: $url/docs, OpenAPI: $url/openapi/v1.json)
  Console:          $url/app/            (sign in with the demo API key)
  Dashboard:        $url/dashboard/      (user: operator, password: the operator token)
  Metrics:          $url/metrics         (Authorization: Bearer <operator token>)
  Health:           $url/health/live, $url/health/ready, $url/health/startup, capacity: $url/v1/pressure
  Operator token:   $operator_token   (for /admin, kept in $data/operator-token)
  Stripe webhook:   $url/v1/webhooks/stripe   (signing secret in $data/stripe-webhook-secret)
  Demo API key:     $api_key

  export UFB_KEY=$api_key
  curl -s -X POST $url/v1/sessions -H "Authorization: Bearer \$UFB_KEY"

Press Ctrl-C to stop.
INFO
wait $pid
