#!/usr/bin/env bash
# Fail on banned C functions (unbounded string functions) and on code that is not
# clang-formatted, and on inline scripts/handlers in web pages (strict CSP).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

banned=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|strncpy|strtok|atoi|atol|atoll)\s*\(' \
  --include='*.c' --include='*.h' src tests/unit bench 2>/dev/null)
if [[ -n $banned ]]; then
  echo "禁用函数（请用 ybuf / ystrlcpy / snprintf / yparse_i64）:"
  echo "$banned"
  status=1
fi

if command -v clang-format >/dev/null; then
  unformatted=()
  while IFS= read -r f; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
  done < <(find src tests/unit -name '*.[ch]')
  if ((${#unformatted[@]})); then
    echo "未按 .clang-format 排版（运行 clang-format -i 修正）:"
    printf '  %s\n' "${unformatted[@]}"
    status=1
  fi
fi

inline=$(grep -rnE '<script>|<script [^>]*>[^<]|\son[a-z]+=|style=' --include='*.html' web 2>/dev/null | grep -v 'src=' )
if [[ -n $inline ]]; then
  echo "页面中有内联脚本、事件处理或样式（严格CSP不允许）:"
  echo "$inline"
  status=1
fi
exit $status
