#!/usr/bin/env bash
# The browser pod's file endpoint: one HTTP/1.1 request per connection on stdin/stdout (socat runs this script for each
# connection to FILES_PORT; see entrypoint.sh). Only the control plane reaches that port (the namespace's NetworkPolicy
# admits the gateway's pods to it, as to DevTools). It moves a session's files between the pod and the control plane:
#   GET /downloads          completed downloads, one per line: <size> TAB <mtime seconds> TAB <name as hex of its bytes>
#   GET /downloads/<hex>    one download's bytes
#   PUT /uploads/<hex>      stores the body (Content-Length required) as <UPLOADS_DIR>/<random folder>/<name>; answers its path
#                           (the control plane's limits come as Upload-Limit and Uploads-Total-Limit headers, else the env's)
# Names travel as hex of their bytes, so no name needs quoting or escaping anywhere; a decoded name must be a plain name
# (no '/', no NUL, not '.' or '..'). Only regular files are listed or read: no links, no directories, no .crdownload partials.
set -uo pipefail
export LC_ALL=C

DOWNLOADS_DIR="${DOWNLOADS_DIR:-/tmp/downloads}"
UPLOADS_DIR="${UPLOADS_DIR:-/tmp/uploads}"
MAX_UPLOAD="${FILES_MAX_UPLOAD_BYTES:-52428800}"
MAX_UPLOADS_TOTAL="${FILES_MAX_UPLOADS_TOTAL_BYTES:-209715200}"

respond() { # status, body
  printf 'HTTP/1.1 %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' "$1" "${#2}" "$2"
  exit 0
}

hex_of() { # name -> hex of its bytes
  local name=$1 hex="" h i
  for ((i = 0; i < ${#name}; i++)); do
    printf -v h '%02x' "'${name:i:1}"
    hex+=${h: -2}
  done
  printf '%s' "$hex"
}

name_of() { # hex -> plain name in $name, or fail
  local hex=$1 escaped="" i
  [[ $hex =~ ^([0-9a-f][0-9a-f]){1,255}$ ]] || return 1
  for ((i = 0; i < ${#hex}; i += 2)); do
    [[ ${hex:i:2} == 00 ]] && return 1
    escaped+="\\x${hex:i:2}"
  done
  printf -v name '%b' "$escaped"
  [[ $name != . && $name != .. && $name != */* && -n $name ]]
}

IFS=$' \t\r' read -r -t 30 method target version || exit 0
length=""
while IFS= read -r -t 30 line; do
  line=${line%$'\r'}
  [[ -z $line ]] && break
  if [[ ${line,,} =~ ^content-length:[[:space:]]*([0-9]{1,15})[[:space:]]*$ ]]; then
    length=${BASH_REMATCH[1]}
  elif [[ ${line,,} =~ ^upload-limit:[[:space:]]*([0-9]{1,15})[[:space:]]*$ ]]; then
    MAX_UPLOAD=${BASH_REMATCH[1]}
  elif [[ ${line,,} =~ ^uploads-total-limit:[[:space:]]*([0-9]{1,15})[[:space:]]*$ ]]; then
    MAX_UPLOADS_TOTAL=${BASH_REMATCH[1]}
  fi
done

case "$method $target" in
  "GET /downloads")
    body=""
    while IFS=$'\t' read -r -d '' size mtime file; do
      [[ $file == *.crdownload ]] && continue
      body+="${size}"$'\t'"${mtime%%.*}"$'\t'"$(hex_of "$file")"$'\n'
    done < <(find "$DOWNLOADS_DIR" -mindepth 1 -maxdepth 1 -type f -printf '%s\t%T@\t%f\0' 2>/dev/null)
    respond "200 OK" "$body"
    ;;
  "GET /downloads/"*)
    name_of "${target#/downloads/}" || respond "400 Bad Request" "not a plain file name"
    [[ $name == *.crdownload ]] && respond "404 Not Found" "no such download"
    path="$DOWNLOADS_DIR/$name"
    [[ -f $path && ! -L $path ]] || respond "404 Not Found" "no such download"
    size=$(stat -c %s -- "$path") || respond "404 Not Found" "no such download"
    printf 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' "$size"
    head -c "$size" -- "$path"
    exit 0
    ;;
  "PUT /uploads/"*)
    name_of "${target#/uploads/}" || respond "400 Bad Request" "not a plain file name"
    [[ -n $length ]] || respond "411 Length Required" "Content-Length is required"
    ((length <= MAX_UPLOAD)) || respond "413 Payload Too Large" "over $MAX_UPLOAD bytes"
    used=$(du -sb -- "$UPLOADS_DIR" 2>/dev/null | cut -f1)
    ((${used:-0} + length <= MAX_UPLOADS_TOTAL)) || respond "507 Insufficient Storage" "the session's uploads would exceed $MAX_UPLOADS_TOTAL bytes"
    folder=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
    mkdir -p -- "$UPLOADS_DIR/$folder" || respond "500 Internal Server Error" "cannot make a folder"
    path="$UPLOADS_DIR/$folder/$name"
    head -c "$length" > "$path"
    if [[ $(stat -c %s -- "$path") != "$length" ]]; then
      rm -rf -- "$UPLOADS_DIR/$folder"
      respond "400 Bad Request" "the body ended before Content-Length bytes"
    fi
    respond "201 Created" "$path"
    ;;
  *)
    respond "404 Not Found" "unknown request"
    ;;
esac
