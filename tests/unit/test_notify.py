"""Desktop notifications (tui.notify): OSC 9 and OSC 777, through tmux, nothing hostile."""

from __future__ import annotations

from tui.notify import desktop_notification, in_tmux, tmux_passthrough


def test_both_sequences_are_sent():
    sent = desktop_notification("toolwatch", "gmail failing: 5", tmux=False)
    assert sent == (
        "\x1b]9;toolwatch: gmail failing: 5\x1b\\\x1b]777;notify;toolwatch;gmail failing: 5\x1b\\"
    )


def test_inside_tmux_each_is_wrapped_with_its_escapes_doubled():
    sent = desktop_notification("t", "b", tmux=True)
    assert sent == tmux_passthrough("\x1b]9;t: b\x1b\\") + tmux_passthrough(
        "\x1b]777;notify;t;b\x1b\\"
    )
    assert tmux_passthrough("\x1b]9;x\x1b\\") == "\x1bPtmux;\x1b\x1b]9;x\x1b\x1b\\\x1b\\"
    assert in_tmux({"TMUX": "/tmp/tmux-1/default,1,0"}) and not in_tmux({})


def test_a_hostile_name_cannot_end_the_sequence_or_add_a_field():
    sent = desktop_notification("x\x1b]52;c;AAAA\x07", "a;b\x9c\x1b\\rm", tmux=False)
    assert sent.count("\x1b") == 4  # two sequences: each an opener and a terminator
    assert "\x07" not in sent and "\x9c" not in sent
    assert "\x1b]777;notify;x]52,c,AAAA;a,b\\rm\x1b\\" in sent
