#!/bin/bash
# Ten minutes of every demo fault at once (issue 13): the screen in tmux at 120x40 with a
# person's keys every 3 s, and the headless `tail` beside it. Prints one line of results;
# the README quotes it. Usage: bench/soak_faults.sh [SECONDS] (default 600), from the
# repository root with toolwatch installed (.venv/bin/toolwatch or on PATH).
set -u
SECONDS_TO_RUN=${1:-600}
TOOLWATCH=${TOOLWATCH:-$( [ -x .venv/bin/toolwatch ] && echo .venv/bin/toolwatch || echo toolwatch )}
OUT=$(mktemp -d)
FAULTS="5xx=0.05,429=0.03,slow=0.03:2s,truncate=0.03,wrong-types=0.03,stray4xx=0.03"
FAULTS+=",badcursor=0.05,redirect=0.02,endless=0.01,deep=0.03,bigint=0.03,nonfinite=0.03"
FAULTS+=",secrets=0.05,hostile=0.05,huge=0.01:2MB,late=0.1:10s,burst=200/30s,seed=13"
export TOOLWATCH_STATE_DIR=$OUT/state
SESSION=toolwatch-soak-$$
tmux new -d -s "$SESSION" -x 120 -y 40 \
  "$TOOLWATCH --demo --faults $FAULTS; echo \$? > $OUT/exit; sleep 3600"
timeout $((SECONDS_TO_RUN + 10)) "$TOOLWATCH" --demo --faults "$FAULTS" tail \
  > "$OUT/tail.out" 2> "$OUT/tail.err" &
TAIL=$!
KEYS=("Down Down Enter" "Right" "Right" "Escape" "End" "Home Enter" "Escape" "g")
start=$(date +%s); samples=0; stopped=0; bugs=0; leaks=0
while [ $(( $(date +%s) - start )) -lt "$SECONDS_TO_RUN" ]; do
  # shellcheck disable=SC2086
  tmux send-keys -t "$SESSION" ${KEYS[$((samples % 8))]}
  samples=$((samples + 1))
  sleep 3
  pane=$(tmux capture-pane -t "$SESSION" -p)
  grep -q "■ stopped" <<< "$pane" && stopped=$((stopped + 1))
  grep -qi "hit a bug" <<< "$pane" && bugs=$((bugs + 1))
  grep -q "PLANTEDsecret" <<< "$pane" && leaks=$((leaks + 1))
done
wait $TAIL
screen_exit=$(cat "$OUT/exit" 2>/dev/null || echo "none (still running)")
tmux kill-session -t "$SESSION"
echo "screen: $samples samples over ${SECONDS_TO_RUN}s, stopped in $stopped, a bug in $bugs," \
  "a planted secret in $leaks, exit $screen_exit;" \
  "tail: $(wc -l < "$OUT/tail.out") logs printed," \
  "$(grep -c PLANTEDsecret "$OUT/tail.out") planted secrets," \
  "$(grep -c -e 'hit a bug' -e Traceback "$OUT/tail.err") bugs," \
  "$(wc -l < "$OUT/tail.err") retries and notes on stderr"
rm -rf "$OUT"
