"""The one clock: TRACKER_TODAY pins the day; a bad value is one plain sentence."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone

import pytest
from conftest import ROOT

from tracker import clock


def test_unset_means_the_real_date():
    assert clock.fixed_day({}) is None
    assert clock.today({}) == clock.now({}).date()


def test_a_set_day_pins_the_whole_clock():
    assert clock.today({"TRACKER_TODAY": "2024-02-29"}) == date(2024, 2, 29)
    assert clock.now({"TRACKER_TODAY": "2024-02-29"}) == datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", ["31/12/2024", "2024-02-30", "２０２４-01-01", "2024-01-01\n1", "tomorrow"])
def test_a_bad_value_is_one_plain_sentence(value):
    with pytest.raises(clock.BadClockSetting) as failed:
        clock.today({"TRACKER_TODAY": value})
    assert str(failed.value).startswith("TRACKER_TODAY is set to '")
    assert str(failed.value).endswith("which is not a date; write it as YYYY-MM-DD or unset it.")


def test_every_command_honours_it(data_file):
    env = {"TRACKER_TODAY": "2027-01-15", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "summary", "--data", str(data_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "As of 2027-01-15" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "tracker", "summary", "--data", str(data_file)],
        cwd=ROOT,
        env={**env, "TRACKER_TODAY": "soon"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert (
        bad.stderr.strip() == "TRACKER_TODAY is set to 'soon', which is not a date; write it as YYYY-MM-DD or unset it."
    )
