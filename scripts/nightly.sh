#!/usr/bin/env bash
# The nightly job, minus what only GitHub can do (the schedule and the deploy):
#   1. digest fetch, its report appended to the summary file;
#   2. commit the new posts and the state file as a bot, only if something changed;
#   3. push, if asked to: on rejection rebase over what editors pushed and retry once,
#      never force;
#   4. digest check; digest pages again only if the push brought editors' commits in
#      (digest fetch ends with the same site step, over the posts as they are); then
#      mkdocs build --strict (into site/);
#   5. digest publish: search index, minified pages, sitemaps, and the site's size
#      against site_budget, also appended to the summary file.
# Run it in the site's root (the folder with mkdocs.yml, inside a git work tree), after
# `make install`. .github/workflows/nightly.yml runs exactly this.
#
# Settings, from the environment:
#   DIGEST_PUSH_REMOTE  push the commit to this remote (the workflow sets origin);
#                       unset or empty: commit locally, push nothing
#   DIGEST_PUSH_BRANCH  the branch to push to (default: the branch checked out)
#   DIGEST_SUMMARY      append the Markdown run report to this file
#                       (default: $GITHUB_STEP_SUMMARY, the job summary on GitHub)
#   DIGEST_BOT_NAME, DIGEST_BOT_EMAIL
#                       the bot's name and address for the commit (default: github-actions[bot])
#   DIGEST_COMMIT_PATHS what the bot commits, relative to the site's root
#                       (default: "docs/posts digest-state.json digest-stories.json", as in
#                       mkdocs.yml's defaults: the posts, the state and the story assignment)
#   DIGEST_BIN          the folder with the digest and mkdocs commands
#                       (default: .venv/bin of the repository holding this script, else PATH)
#
# Exit status: 0 when done, also when some feeds failed (they are in the report);
# 3 when there were feeds but none at all could be fetched (nothing is committed then);
# otherwise the status of the step that failed, or 1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DIGEST_BIN:-$here/.venv/bin}"
if [ -x "$bin/digest" ]; then
    PATH="$bin:$PATH"
fi
summary="${DIGEST_SUMMARY:-${GITHUB_STEP_SUMMARY:-}}"
remote="${DIGEST_PUSH_REMOTE:-}"
read -r -a commit_paths <<< "${DIGEST_COMMIT_PATHS:-docs/posts digest-state.json digest-stories.json}"
# The address GitHub shows with the Actions bot's avatar.
export GIT_AUTHOR_NAME="${DIGEST_BOT_NAME:-github-actions[bot]}"
export GIT_AUTHOR_EMAIL="${DIGEST_BOT_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}"
# The committer too: a rebase rewrites commits, and a fresh runner has no git identity.
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

# One "Error:" line, also in the summary and, on GitHub, as an annotation; then exit with
# $status (default 1).
fail() {
    echo "Error: $*" >&2
    if [ -n "$summary" ]; then
        printf '**Error:** %s\n\n' "$*" >> "$summary"
    fi
    if [ "${GITHUB_ACTIONS:-}" = true ]; then
        echo "::error::$*"
    fi
    exit "${status:-1}"
}

# Folds each step's output on GitHub; a plain heading elsewhere.
in_group=false
step() {
    if [ "${GITHUB_ACTIONS:-}" = true ]; then
        $in_group && echo "::endgroup::"
        echo "::group::$*"
        in_group=true
    else
        echo "==> $*"
    fi
}

# A line for the log and a paragraph for the summary.
report() {
    echo "$*"
    if [ -n "$summary" ]; then
        printf '%s\n\n' "$*" >> "$summary"
    fi
}

[ -f mkdocs.yml ] || fail "no mkdocs.yml in $PWD: run scripts/nightly.sh in the site's root"
git rev-parse --is-inside-work-tree > /dev/null 2>&1 || fail "$PWD is not in a git work tree"
command -v digest > /dev/null || fail "digest is not installed: run make install first"
# The bot commits whatever is under these paths: never sweep up an editor's uncommitted work.
if [ -n "$(git status --porcelain -- "${commit_paths[@]}")" ]; then
    fail "uncommitted changes under ${commit_paths[*]}: commit or remove them first"
fi

# On GitHub, a failing feed also becomes a warning annotation on the run: it warns, it
# does not fail the job (only "no feed at all" does).
annotate() {
    if [ "${GITHUB_ACTIONS:-}" = true ]; then
        local line
        while IFS= read -r line; do
            printf '%s\n' "$line"
            case "$line" in
                "failed: "* | "warning: "*) printf '::warning::%s\n' "${line//%/%25}" ;;
            esac
        done
    else
        cat
    fi
}

step "digest fetch"
fetch_status=0
digest fetch ${summary:+--summary "$summary"} | annotate || fetch_status=$?
case "$fetch_status" in
    0) ;;
    3) status=3 fail "no feed could be fetched; nothing was committed or published" ;;
    *) status=$fetch_status fail "digest fetch failed with status $fetch_status" ;;
esac

# digest fetch ended with the site step over the posts on disk: only a rebase over editors'
# commits changes them before the build (at a year's size the step takes minutes).
pages_current=true

step "commit"
paths=()
for path in "${commit_paths[@]}"; do
    [ -e "$path" ] || git ls-files --error-unmatch -- "$path" > /dev/null 2>&1 && paths+=("$path")
done
committed=false
if [ ${#paths[@]} -gt 0 ]; then
    git add -A -- "${paths[@]}"
fi
if git diff --cached --quiet; then
    report "Nothing new: no commit."
else
    new_posts=$(git diff --cached --name-only --diff-filter=A -- "${paths[@]}" \
        | grep -c '\.md$' || true)
    message="Nightly fetch: $new_posts new post(s)"
    [ "$new_posts" = 0 ] && message="Nightly fetch: update the state file"
    git commit --quiet -m "$message"
    committed=true
    report "Committed $(git rev-parse --short HEAD) as $GIT_AUTHOR_NAME: $message."
fi

if $committed && [ -n "$remote" ]; then
    step "push to $remote"
    branch="${DIGEST_PUSH_BRANCH:-$(git symbolic-ref --quiet --short HEAD || true)}"
    [ -n "$branch" ] || fail "HEAD is detached: set DIGEST_PUSH_BRANCH"
    if git push "$remote" "HEAD:refs/heads/$branch"; then
        report "Pushed to $remote/$branch."
    else
        # Most likely an editor pushed meanwhile: replay the bot's commit on top of theirs
        # and try once more. A conflict or a second rejection fails the job; the next run
        # fetches the same news again, since the state file was not pushed either.
        echo "Push rejected: rebasing over $remote/$branch and trying once more."
        git fetch --quiet "$remote" "$branch"
        if ! git rebase --quiet FETCH_HEAD; then
            git rebase --abort
            fail "the bot's commit does not rebase cleanly over $remote/$branch; nothing was pushed"
        fi
        pages_current=false     # the editors' commits are in the tree now
        git push "$remote" "HEAD:refs/heads/$branch" \
            || fail "push to $remote/$branch rejected twice; nothing was pushed"
        report "Pushed to $remote/$branch after rebasing over editors' commits."
    fi
fi

# After the push, so that the site also has whatever editors pushed meanwhile.
step "digest check"
digest check

step "digest pages"
if $pages_current; then
    echo "The pages digest fetch wrote are current: no editor's commit came in meanwhile."
else
    digest pages
fi

step "mkdocs build --strict"
mkdocs build --strict

step "digest publish"
digest publish ${summary:+--summary "$summary"} | annotate

$in_group && echo "::endgroup::"
echo "Site built in $PWD/site."
