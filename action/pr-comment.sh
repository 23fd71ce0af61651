#!/usr/bin/env bash
# Post the Markdown in FILE as the one archflow comment of a pull request, or update it: a
# comment whose body starts with `<!-- archflow-diff -->` is edited, so every push updates the
# same comment instead of adding one. Plain curl to GitHub's REST API and jq, nothing else.
#
# Usage: pr-comment.sh FILE
# Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), PR (the pull request's number),
# GITHUB_API_URL (default https://api.github.com).
#
# A token that may not read or write comments (a pull request from a fork gets a read-only
# one) is not a failure: a notice says so, and the diff stays in the job summary.
set -euo pipefail

file=$1
marker='<!-- archflow-diff -->'
api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY}"
headers=(-H "Authorization: Bearer ${GITHUB_TOKEN}" -H "Accept: application/vnd.github+json"
  -H "X-GitHub-Api-Version: 2022-11-28")

cannot() {
  echo "::notice title=archflow::cannot $1 the pull request comment (the token lacks pull-requests: write?); the diff is in the job summary"
  exit 0
}

body=$(cat "$file")
# GitHub refuses comments over 65,536 characters.
if [ "${#body}" -gt 60000 ]; then
  body="${body:0:60000}"$'\n\n(cut: the whole diff is in the job summary)\n'
fi

id=""
page=1
while :; do
  list=$(curl -fsS "${headers[@]}" "$api/issues/$PR/comments?per_page=100&page=$page") || cannot read
  id=$(jq -r --arg m "$marker" '[.[] | select(.body | startswith($m)) | .id][0] // empty' <<<"$list")
  if [ -n "$id" ] || [ "$(jq length <<<"$list")" -lt 100 ]; then
    break
  fi
  page=$((page + 1))
done

payload=$(jq -cn --arg body "$body" '{body: $body}')
if [ -n "$id" ]; then
  curl -fsS -X PATCH "${headers[@]}" "$api/issues/comments/$id" -d "$payload" >/dev/null || cannot update
  echo "archflow: updated the pull request comment ($id)"
else
  curl -fsS -X POST "${headers[@]}" "$api/issues/$PR/comments" -d "$payload" >/dev/null || cannot write
  echo "archflow: commented on the pull request"
fi
