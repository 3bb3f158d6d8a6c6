#!/usr/bin/env bash
# update-po.sh — extract every translatable message into po/khibra.pot and
# merge it into po/ar.po and po/en.po.
#
#   scripts/update-po.sh           extract, merge, report what Arabic lacks
#   scripts/update-po.sh --check   the same, and fail if any Arabic message is
#                                  untranslated or fuzzy
#
# Messages come from two places:
#   - C sources under src/: tr(r, "…"), N_("…"), i18n_gettext(lang, "…") and
#     i18n_ngettext(lang, "…", "…", n), found by xgettext.  A comment starting
#     "TRANSLATORS:" just before the call goes to the translators.
#   - templates/*.html: {{_ English text}} tags.  As in src/web/template.c the
#     msgid is the text after "_", trimmed, each run of white space made one
#     space (a tag may be wrapped over lines); "{{_name}}" is a variable.
#
# Merging keeps translations (msgmerge); a changed msgid comes back "fuzzy"
# with its previous msgid shown, for a translator to confirm.  Messages no
# longer used are dropped (git keeps them): kept as obsolete entries, their
# fuzzy guesses came back as wrong translations.  The English catalog gets
# msgstr = msgid for every new or changed message.
set -euo pipefail

cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: scripts/update-po.sh [--check]" >&2; exit 2 ;;
esac

for tool in xgettext msguniq msgcat msgmerge msgattrib msgen msgfmt perl; do
  if ! command -v "$tool" >/dev/null; then
    echo "update-po: $tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- 1. C sources -----------------------------------------------------------
# "--keyword" alone drops xgettext's default keywords (gettext, _, …): only
# Khibra's own calls are messages.
mapfile -t sources < <(find src -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
xgettext --language=C --from-code=UTF-8 --force-po --add-comments=TRANSLATORS: \
  --keyword --keyword=tr:2 --keyword=N_ --keyword=i18n_gettext:2 --keyword=i18n_ngettext:2,3 \
  --package-name=khibra --msgid-bugs-address="Khibra maintainers" --no-wrap \
  -o "$tmp/c.pot" ${sources[@]+"${sources[@]}"}
# xgettext leaves "charset=CHARSET" when every msgid is ASCII.
sed -i 's/charset=CHARSET/charset=UTF-8/' "$tmp/c.pot"

# --- 2. Templates -------------------------------------------------------------
shopt -s nullglob
templates=(templates/*.html)
shopt -u nullglob
{
  printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n\n'
  if [ ${#templates[@]} -gt 0 ]; then
    perl -e '
      use strict; use warnings;
      for my $file (@ARGV) {
        open(my $fh, "<:raw", $file) or die "update-po: $file: $!\n";
        local $/; my $text = <$fh>; close $fh;
        # A tag runs from "{{" to the first "}}", as in the C parser.
        while ($text =~ /\{\{(.*?)\}\}/gs) {
          my ($inner, $start) = ($1, $-[0]);
          next unless $inner =~ /\A[ \t\r\n]*_(?:[ \t\r\n]|\z)(.*)\z/s;
          my $msgid = $1;
          $msgid =~ s/[ \t\r\n]+/ /g;
          $msgid =~ s/\A //; $msgid =~ s/ \z//;
          next if $msgid eq "";
          my $line = 1 + (substr($text, 0, $start) =~ tr/\n//);
          $msgid =~ s/\\/\\\\/g; $msgid =~ s/"/\\"/g;
          print "#: $file:$line\nmsgid \"$msgid\"\nmsgstr \"\"\n\n";
        }
      }' "${templates[@]}"
  fi
} > "$tmp/templates.po"
# The same text in many templates is one message with many references.
msguniq --force-po --no-wrap -o "$tmp/templates.pot" "$tmp/templates.po"

# --- 3. One template catalog --------------------------------------------------
msgcat --force-po --use-first --no-wrap --sort-by-file -o "$tmp/khibra.pot" "$tmp/c.pot" "$tmp/templates.pot"
# Keep the old file when only its creation date would change: no noise in diffs.
strip_date() { grep -v '^"POT-Creation-Date:' "$1" || true; }
if [ -f po/khibra.pot ] && cmp -s <(strip_date po/khibra.pot) <(strip_date "$tmp/khibra.pot"); then
  echo "update-po: po/khibra.pot is up to date"
else
  cp "$tmp/khibra.pot" po/khibra.pot
  echo "update-po: wrote po/khibra.pot"
fi

# --- 4. Merge -------------------------------------------------------------------
# Translations written beside new code (po/pending/*.po, msgid/msgstr pairs
# without a header) fill the new entries, as gettext compendia; delete a
# fragment once it is merged.
compendia=()
for f in po/pending/*.po; do
  [ -e "$f" ] || continue
  if grep -q '^msgid ""$' "$f"; then
    cp "$f" "$tmp/pending-$(basename "$f")"
  else
    { printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'; cat "$f"; } >"$tmp/pending-$(basename "$f")"
  fi
  compendia+=(--compendium="$tmp/pending-$(basename "$f")")
done
msgmerge --quiet --update --backup=none --previous --no-wrap "${compendia[@]}" po/ar.po po/khibra.pot
msgattrib --no-obsolete --no-wrap -o po/ar.po po/ar.po

# English: a fuzzy guess is never right for English (the msgid is the text),
# so fuzzy entries are emptied, then msgen fills every empty msgstr with its
# msgid.  Obsolete English entries are worth nothing: dropped.
msgmerge --quiet --update --backup=none --no-wrap po/en.po po/khibra.pot
msgattrib --clear-fuzzy --empty --clear-previous --no-obsolete --no-wrap -o "$tmp/en.po" po/en.po
msgen --no-wrap -o "$tmp/en-filled.po" "$tmp/en.po"
if ! cmp -s "$tmp/en-filled.po" po/en.po; then
  cp "$tmp/en-filled.po" po/en.po
fi

# --- 5. Report -------------------------------------------------------------------
# count OPTIONS…: messages of po/ar.po that msgattrib selects (less the header).
count() {
  msgattrib --force-po --no-obsolete "$@" po/ar.po | grep -c '^msgid ' | awk '{ print $1 - 1 }'
}
total=$(count)
untranslated=$(count --untranslated)
fuzzy=$(count --only-fuzzy)
echo "update-po: po/ar.po: $total messages, $untranslated untranslated, $fuzzy fuzzy"
msgfmt --check --output-file=/dev/null po/ar.po
msgfmt --check --output-file=/dev/null po/en.po

if [ "$check" = 1 ] && [ $((untranslated + fuzzy)) -gt 0 ]; then
  echo "update-po: translate them in po/ar.po (msgattrib --untranslated --only-fuzzy lists them)" >&2
  exit 1
fi
