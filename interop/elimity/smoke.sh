#!/usr/bin/env bash
# Okta- and Entra-style requests, and the library's quirks, against a running
# server; prints each request line, the status and the start of the body.
#
#   ./interop/elimity/smoke.sh http://127.0.0.1:PORT/scim/v2 TOKEN
#
# It creates users and groups named smoke-* and deletes them at the end.
set -euo pipefail

base="${1:?SCIM base URL}"
token="${2:?bearer token}"
width="${SMOKE_WIDTH:-400}"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

# req METHOD PATH [BODY]: prints the exchange; leaves the body in $tmp.
req() {
  local method=$1 path=$2 body=${3:-}
  local args=(-s -o "$tmp" -w '%{http_code} %{content_type}' -X "$method"
    -H "Authorization: Bearer $token" -H "Content-Type: application/scim+json")
  [ -n "$body" ] && args+=(--data-binary "$body")
  local status
  status=$(curl "${args[@]}" "$base$path" || true)
  printf '%s %s\n' "$method" "$path"
  [ -n "$body" ] && printf '  > %s\n' "$body"
  if [ "$status" = "000 " ]; then
    printf '  < no response (connection dropped)\n\n'
    return
  fi
  printf '  < %s %s\n' "$status" "$(head -c "$width" "$tmp")"
  if grep -q '"totalResults"' "$tmp"; then # the list's numbers, wherever they are in the body
    printf '  < list: %s, %s resources\n' "$(grep -o '"\(totalResults\|itemsPerPage\|startIndex\)":[0-9]*' "$tmp" | tr '\n' ' ')" \
      "$(grep -o '"location":' "$tmp" | wc -l)"
  fi
  echo
}
# id: the id in the last response.
id() { sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$tmp"; }
patch() { printf '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":%s}' "$1"; }
core_user='"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]'
core_group='"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]'
ext=urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User

echo "## Okta"
req GET '/Users?startIndex=1&count=2'
req GET '/Groups?startIndex=1&count=100'
req GET '/Users?filter=userName%20eq%20%22smoke-jane%40example.com%22&startIndex=1&count=100'
req POST /Users "{$core_user,\"userName\":\"smoke-jane@example.com\",\"name\":{\"givenName\":\"Jane\",\"familyName\":\"Doe\"},\"emails\":[{\"primary\":true,\"value\":\"smoke-jane@example.com\",\"type\":\"work\"}],\"displayName\":\"Jane Doe\",\"externalId\":\"00u1\",\"active\":true,\"password\":\"pw\",\"groups\":[]}"
jane=$(id)
req POST /Users "{$core_user,\"userName\":\"SMOKE-JANE@example.com\"}"
req PUT "/Users/$jane" "{$core_user,\"id\":\"$jane\",\"userName\":\"smoke-jane@example.com\",\"name\":{\"givenName\":\"Jane\",\"familyName\":\"Doe\"},\"emails\":[{\"primary\":true,\"value\":\"smoke-jane@example.com\",\"type\":\"work\"}],\"displayName\":\"Jane D.\",\"externalId\":\"00u1\",\"active\":true,\"meta\":{\"resourceType\":\"User\"}}"
req PATCH "/Users/$jane" "$(patch '[{"op":"replace","value":{"active":false}}]')"
req PUT "/Users/$jane" "{$core_user,\"userName\":\"smoke-jane@example.com\",\"externalId\":\"00u1\"}" # no active: unassigned after
req POST /Users "{$core_user,\"userName\":\"smoke-bob@example.com\",\"active\":true,\"$ext\":{\"nativeObjectId\":\"obj-1\",\"authName\":\"bob\"}}"
bob=$(id)
req GET '/Groups?filter=displayName%20eq%20%22smoke-Engineering%22'
req POST /Groups "{$core_group,\"displayName\":\"smoke-Engineering\",\"members\":[]}"
group=$(id)
req PATCH "/Groups/$group" "$(patch "[{\"op\":\"replace\",\"value\":{\"id\":\"$group\",\"displayName\":\"smoke-Eng\"}}]")"
req PATCH "/Groups/$group" "$(patch "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$bob\\\"]\"},{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$jane\",\"display\":\"smoke-jane@example.com\"},{\"value\":\"$bob\"}]}]")"

echo "## Entra ID"
req PATCH "/Users/$jane" "$(patch '[{"op":"Replace","path":"active","value":"True"},{"op":"Replace","path":"emails[type eq \"work\"].value","value":"smoke-j2@example.com"},{"op":"Add","path":"name.formatted","value":"Jane Doe"}]')"
req GET '/Users?filter=externalId%20eq%20%2200u1%22'
req GET "/Groups/$group?excludedAttributes=members"
req GET '/Groups?excludedAttributes=members&filter=displayName%20eq%20%22smoke-Eng%22'
req PATCH "/Groups/$group" "$(patch "[{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"$bob\"}]}]")"

echo "## attribute selection (the library ignores attributes and excludedAttributes)"
req GET "/Groups/$group?attributes=members"
req GET "/Users/$jane?attributes=userName"
req PATCH "/Groups/$group?excludedAttributes=members" "$(patch "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$bob\"}]}]")"

echo "## PATCH details"
req PATCH "/Users/$bob" "$(patch '[{"op":"remove","path":"externalId"}]')"
req PATCH "/Users/$bob" "$(patch "[{\"op\":\"replace\",\"path\":\"$ext\",\"value\":{\"authName\":\"b\"}}]")"
req PATCH "/Users/$bob" "$(patch "[{\"op\":\"replace\",\"path\":\"$ext:authName\",\"value\":\"b2\"}]")"
req PATCH "/Users/$bob" "$(patch '[{"op":"replace","path":"emails[type eq \"home\"].value","value":"x@example.com"}]')"
req PATCH "/Groups/$group" "$(patch '[{"op":"add","path":"members","value":[{"value":"no-such-user"}]}]')"
req PATCH "/Users/$bob" "$(patch '[{"op":"replace","path":"id","value":"x"}]')"

echo "## lists and filters"
req GET '/Users?count=1000'
req GET '/Users?startIndex=2&count=1'
req GET '/Users?filter=USERNAME%20EQ%20%22Smoke-Bob%40Example.com%22'
req GET '/Users?filter=externalId%20eq%20%2200U1%22'
req GET "/Users?filter=$ext:nativeObjectId%20eq%20%22obj-1%22"
req GET "/Groups?filter=members.value%20eq%20%22$bob%22"
req GET "/Groups?filter=members%5Bvalue%20eq%20%22$bob%22%5D"
req GET '/Users?filter=emails%5Btype%20eq%20%22work%22%5D'
req POST /Users "{$core_user,\"userName\":\"smoke-a\\\\b\\\"c\"}" # userName smoke-a\b"c
quoted=$(id)
req GET '/Users?filter=userName%20eq%20%22smoke-a%5C%5Cb%5C%22c%22' # the same, escaped as RFC 7159 strings
req GET '/Users?filter=userName%20eq%20%22smoke-j%5Cu0061ne%40example.com%22' # smoke-jane@example.com with a \u escape
req DELETE "/Users/$quoted"
req GET '/Users?filter=active%20eq%20%22true%22'
req GET '/Users?filter=emails.value%20eq%20%22smoke-j2%40example.com%22'
req GET '/Users?filter=emails%20eq%20%22smoke-j2%40example.com%22'
req GET '/Users?filter=nope%20eq%20%22x%22'
req GET '/Users?sortBy=userName&sortOrder=descending'

echo "## errors and discovery"
req GET /Users/no-such-id
req GET /ServiceProviderConfig
req GET /ResourceTypes
req GET /

echo "## cleanup"
req DELETE "/Users/$jane"
req GET "/Groups/$group"
req DELETE "/Groups/$group"
req DELETE "/Users/$bob"
